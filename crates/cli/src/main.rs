//! `tulip-widget`: check Tulip widget payloads offline, see what one player
//! sees, and try updates, with exactly the rules the server applies (the
//! `tulip-core` crate).
//!
//! Output contract (also in `--help`):
//!
//! - stdout carries only results: `ok`, or pretty-printed JSON;
//! - stderr carries problems: one line per problem, `CODE path: message`,
//!   where `path` is `(root)` for the document as a whole;
//! - exit status 0 = success, 1 = the input is invalid, 2 = usage or I/O error.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, Read, Write};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context};
use clap::{Args, Parser, Subcommand};
use serde_json::{json, Value};
use tulip_core::parse::MAX_BODY_BYTES;
use tulip_core::{
    apply_update, parse_json, parse_update, parse_widget_value, resolve, viewer_update, Code,
    Policy, UserId, Viewer, ViewerUpdate, Widget, WidgetError,
};

/// How an error without a path is shown.
const ROOT: &str = "(root)";

const AFTER_HELP: &str = "\
OUTPUT
  stdout carries only results: `ok` (validate) or pretty-printed JSON
  (resolve, apply). Problems go to stderr, one per line:

      CODE path: message

  CODE is the stable error code the server replies with (INVALID_COLOR,
  INVALID_URL, TOO_MANY, OUT_OF_RANGE, TOO_LARGE, INVALID_JSON, ...). `path` is
  the JSON path of the bad value, e.g. `extra_data.cells[3].bg`, or `(root)`
  for the document as a whole (then the message starts with the file name).
  Errors in an update are reported under `update`, as in the HTTP body
  {\"update\": {...}}: `update.set_cells[0].bg`.

EXIT STATUS
  0  success
  1  the input is invalid (bad JSON, bad payload, bad update, over 1 MiB)
  2  usage error, or a file could not be read

LIMITS
  At most 1 MiB (1,048,576 bytes) is read from any input; anything larger is
  reported as TOO_LARGE without reading the rest. FILE may be `-` for stdin.

EXAMPLES
  $ tulip-widget validate board.json
  ok
  $ echo '{\"widget_type\":\"grid\",\"extra_data\":{\"width\":257,\"height\":3}}' \\
      | tulip-widget validate -
  OUT_OF_RANGE extra_data.width: 257 is outside 1..=256
  $ tulip-widget resolve --viewer alice hand.json
  $ tulip-widget apply board.json move.json --viewer 42";

#[derive(Parser, Debug)]
#[command(
    name = "tulip-widget",
    version,
    about = "Validate Tulip game-widget payloads, resolve a player's view, and apply updates",
    long_about = "Validate Tulip game-widget payloads, resolve what one player sees, and \
apply updates offline, with exactly the rules the Tulip server applies.\n\n\
A widget file holds {\"widget_type\": ..., \"extra_data\": {...}}, as a bot sends it.",
    after_help = AFTER_HELP
)]
struct Cli {
    #[command(flatten)]
    opts: Opts,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Debug)]
struct Opts {
    /// Accept plain http: image and sound URLs, as a server configured to
    /// allow them does (by default only https:, `/path` and data: URLs pass).
    #[arg(long, global = true)]
    allow_http: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check a widget payload. Prints `ok`, or one line per problem.
    #[command(after_help = "EXAMPLE\n  $ tulip-widget validate board.json\n  ok")]
    Validate {
        /// The widget JSON file, or `-` for stdin.
        file: String,
    },
    /// Print what one user sees of a widget, as pretty JSON.
    #[command(after_help = "\
The widget is validated first. Hidden elements the user does not own are
redacted (cards turn face down without `face`/`image`; cells, sprites, items
and markers are left out), `views` is resolved and removed.

EXAMPLE
  $ tulip-widget resolve --viewer alice hand.json")]
    Resolve {
        /// The user id to resolve for. `7` matches both 7 and \"7\" in the payload.
        #[arg(long, value_name = "USER")]
        viewer: String,
        /// The widget JSON file, or `-` for stdin.
        file: String,
    },
    /// Apply an update to a widget and print the result as pretty JSON.
    #[command(after_help = "\
UPDATE_FILE holds either the bare operations, {\"set_cells\": [...]}, or the
HTTP body {\"update\": {...}}; {\"widget\": {...}} (a whole replacement) is
accepted too. The update is applied atomically: any error rejects all of it.

OUTPUT
  without --viewer: the new widget, as the server stores it:
      {\"widget_type\": ..., \"extra_data\": {...}}
  with --viewer USER: what that user's client receives, one of
      {\"update\": {...operations on the user's previous view...}}
      {\"replace\": {\"widget_type\": ..., \"extra_data\": {...the user's new view...}}}
  (`replace` is sent when no operation can express the change, and for
  {\"widget\": ...} replacements.)

EXAMPLE
  $ tulip-widget apply board.json '-' --viewer 42 <<< '{\"update\": {\"clear_cells\": [{\"x\": 0, \"y\": 0}]}}'
  {
    \"update\": {
      \"clear_cells\": [
        {
          \"x\": 0,
          \"y\": 0
        }
      ]
    }
  }")]
    Apply {
        /// The widget JSON file, or `-` for stdin.
        widget_file: String,
        /// The update JSON file, or `-` for stdin.
        update_file: String,
        /// Print what this user receives instead of the new widget.
        #[arg(long, value_name = "USER")]
        viewer: Option<String>,
    },
}

/// Why a command did not succeed.
enum Failure {
    /// The input is invalid: exit 1.
    Invalid(Vec<String>),
    /// Usage or I/O: exit 2.
    Usage(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Usage(e)
    }
}

type Outcome = Result<String, Failure>;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let policy = Policy {
        allow_http: cli.opts.allow_http,
    };
    let outcome = match &cli.command {
        Command::Validate { file } => validate(file, &policy),
        Command::Resolve { viewer, file } => run_resolve(viewer, file, &policy),
        Command::Apply {
            widget_file,
            update_file,
            viewer,
        } => run_apply(widget_file, update_file, viewer.as_deref(), &policy),
    };
    match outcome {
        Ok(out) => emit(&mut io::stdout().lock(), &out, ExitCode::SUCCESS),
        Err(Failure::Invalid(lines)) => {
            let mut text = String::new();
            for l in lines {
                text.push_str(&l);
                text.push('\n');
            }
            emit_raw(&mut io::stderr().lock(), &text, ExitCode::from(1))
        }
        Err(Failure::Usage(e)) => {
            let msg = one_line(&format!("{e:#}"));
            emit_raw(
                &mut io::stderr().lock(),
                &format!("error: {msg}\n"),
                ExitCode::from(2),
            )
        }
    }
}

/// Writes `out` and a newline; a closed pipe (`| head`) is not an error.
fn emit(w: &mut impl Write, out: &str, code: ExitCode) -> ExitCode {
    emit_raw(w, &format!("{out}\n"), code)
}

fn emit_raw(w: &mut impl Write, text: &str, code: ExitCode) -> ExitCode {
    match w.write_all(text.as_bytes()).and_then(|()| w.flush()) {
        Ok(()) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => code,
        Err(_) => ExitCode::from(2),
    }
}

// ---------------------------------------------------------------------------
// commands

fn validate(file: &str, policy: &Policy) -> Outcome {
    load_widget(file, policy)?;
    Ok("ok".into())
}

fn run_resolve(viewer: &str, file: &str, policy: &Policy) -> Outcome {
    let viewer = parse_viewer(viewer)?;
    let widget = load_widget(file, policy)?;
    pretty(&resolve(&widget, &viewer))
}

fn run_apply(
    widget_file: &str,
    update_file: &str,
    viewer: Option<&str>,
    policy: &Policy,
) -> Outcome {
    if widget_file == "-" && update_file == "-" {
        return Err(anyhow!("only one of WIDGET_FILE and UPDATE_FILE can be `-` (stdin)").into());
    }
    let viewer = viewer.map(parse_viewer).transpose()?;
    let old = load_widget(widget_file, policy)?;
    let value = load_json(update_file)?;
    match unwrap_update(value).map_err(|e| invalid(&[e], update_file))? {
        UpdateDoc::Ops(ops) => {
            let update = parse_update(&old.body, ops).map_err(|e| invalid(&e.0, update_file))?;
            let new =
                apply_update(&old, &update, policy).map_err(|e| invalid(&e.0, update_file))?;
            match viewer {
                None => pretty(&new),
                Some(v) => match viewer_update(&old, &new, &update, &v) {
                    ViewerUpdate::Update(u) => pretty(&json!({ "update": u })),
                    ViewerUpdate::Replace(w) => pretty(&json!({ "replace": w })),
                },
            }
        }
        UpdateDoc::Replace(w) => {
            let new = parse_widget_value(w, policy).map_err(|e| {
                let prefixed: Vec<WidgetError> =
                    e.0.into_iter()
                        .map(|mut err| {
                            err.path = tulip_core::path::join("widget", &err.path);
                            err
                        })
                        .collect();
                invalid(&prefixed, update_file)
            })?;
            match viewer {
                None => pretty(&new),
                Some(v) => pretty(&json!({ "replace": resolve(&new, &v) })),
            }
        }
    }
}

// ---------------------------------------------------------------------------
// input

/// Reads a whole input of at most 1 MiB. `Ok(Err(..))` is invalid input
/// (too large, not UTF-8); `Err(..)` is an I/O problem.
fn read_input(file: &str) -> Result<Result<String, WidgetError>, anyhow::Error> {
    let limit = MAX_BODY_BYTES as u64 + 1;
    let mut buf = Vec::new();
    if file == "-" {
        io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut buf)
            .context("cannot read stdin")?;
    } else {
        let f = File::open(file).with_context(|| format!("cannot open {file}"))?;
        if f.metadata().is_ok_and(|m| m.is_dir()) {
            bail!("cannot read {file}: it is a directory");
        }
        f.take(limit)
            .read_to_end(&mut buf)
            .with_context(|| format!("cannot read {file}"))?;
    }
    if buf.len() > MAX_BODY_BYTES {
        return Ok(Err(WidgetError::new(
            Code::TooLarge,
            "",
            "the input is larger than 1 MiB (1,048,576 bytes); the server refuses it",
        )));
    }
    Ok(String::from_utf8(buf).map_err(|e| {
        WidgetError::new(
            Code::InvalidJson,
            "",
            format!(
                "not valid JSON: the input is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    }))
}

/// Reads and parses JSON text (size and nesting limits included).
fn load_json(file: &str) -> Result<Value, Failure> {
    let text = read_input(file)?.map_err(|e| invalid(&[e], file))?;
    parse_json(&text).map_err(|e| invalid(&e.0, file))
}

/// Reads, parses and validates a widget.
fn load_widget(file: &str, policy: &Policy) -> Result<Widget, Failure> {
    let value = load_json(file)?;
    parse_widget_value(value, policy).map_err(|e| invalid(&e.0, file))
}

enum UpdateDoc {
    /// The operations, to be parsed against the widget.
    Ops(Value),
    /// `{"widget": {...}}`: a whole replacement.
    Replace(Value),
}

/// Accepts the bare operations object or the HTTP bodies
/// `{"update": {...}}` and `{"widget": {...}}`.
fn unwrap_update(value: Value) -> Result<UpdateDoc, WidgetError> {
    let Value::Object(mut obj) = value else {
        return Ok(UpdateDoc::Ops(value));
    };
    if !obj.contains_key("update") && !obj.contains_key("widget") {
        return Ok(UpdateDoc::Ops(Value::Object(obj)));
    }
    if let Some(k) = obj.keys().find(|k| *k != "update" && *k != "widget") {
        return Err(WidgetError::new(
            Code::UnknownField,
            tulip_core::path::JsonPath::root().key(k).into_string(),
            format!("unknown field `{k}`; the body is {{\"update\": {{...}}}} or {{\"widget\": {{...}}}}"),
        ));
    }
    match (obj.remove("update"), obj.remove("widget")) {
        (Some(u), None) => Ok(UpdateDoc::Ops(u)),
        (None, Some(w)) => Ok(UpdateDoc::Replace(w)),
        _ => Err(WidgetError::new(
            Code::InvalidType,
            "",
            "give either `update` or `widget`, not both",
        )),
    }
}

fn parse_viewer(s: &str) -> Result<Viewer, Failure> {
    if s.is_empty() || s == "default" {
        return Err(
            anyhow!("--viewer must be a user id (not empty and not `default`), got {s:?}").into(),
        );
    }
    Ok(Viewer::User(UserId::new(s)))
}

// ---------------------------------------------------------------------------
// output

fn pretty(v: &impl serde::Serialize) -> Outcome {
    serde_json::to_string_pretty(v)
        .map_err(|e| Failure::Usage(anyhow!("cannot serialize the result: {e}")))
}

/// The error lines for problems with `file`.
fn invalid(errors: &[WidgetError], file: &str) -> Failure {
    Failure::Invalid(errors.iter().map(|e| error_line(e, file)).collect())
}

/// `CODE path: message`, always on one line. An error about the whole
/// document has path `(root)` and names the file in its message.
fn error_line(e: &WidgetError, file: &str) -> String {
    if e.path.is_empty() {
        let name = if file == "-" { "<stdin>" } else { file };
        format!(
            "{} {ROOT}: {}: {}",
            e.code.as_str(),
            one_line(name),
            one_line(&e.msg)
        )
    } else {
        format!(
            "{} {}: {}",
            e.code.as_str(),
            one_line(&e.path),
            one_line(&e.msg)
        )
    }
}

/// Escapes control characters so that one problem is one line.
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            let _ = write!(out, "{}", c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}
