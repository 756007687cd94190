//! What a HUD shows, as plain data: numbers as a player reads them, how
//! full a bar is, and what changed from one version to the next (the
//! "−12" beside a bar that just lost health, a stat that just changed).

use tulip_core::model::{Bar, Stat, StatValue};

/// A number as a player reads it: `7` rather than `7.0`, at most two
/// decimals otherwise; nothing for NaN or infinity.
pub fn format_number(n: f64) -> String {
    if !n.is_finite() {
        return String::new();
    }
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.2}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" {
            "0".to_owned()
        } else {
            s.to_owned()
        }
    }
}

/// How full a bar is, in percent, clamped to 0..=100 (a `max` of 0 or less
/// is an empty bar).
pub fn bar_percent(current: f64, max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() || !current.is_finite() {
        return 0.0;
    }
    (current / max * 100.0).clamp(0.0, 100.0)
}

/// The value shown beside a bar: "72 / 100".
pub fn bar_value(bar: &Bar) -> String {
    format!(
        "{} / {}",
        format_number(bar.current),
        format_number(bar.max)
    )
}

/// The value a screen reader hears for a bar: "72 of 100".
pub fn bar_value_spoken(bar: &Bar) -> String {
    format!(
        "{} of {}",
        format_number(bar.current),
        format_number(bar.max)
    )
}

/// A stat's value as text.
pub fn stat_value(stat: &Stat) -> String {
    match &stat.value {
        StatValue::Number(n) => format_number(*n),
        StatValue::Text(t) => t.clone(),
    }
}

/// A change as shown beside a bar: "+5", "−12" (a real minus sign).
pub fn delta_text(d: f64) -> String {
    let n = format_number(d.abs());
    if d < 0.0 {
        format!("\u{2212}{n}")
    } else {
        format!("+{n}")
    }
}

/// Keys for a keyed list from names that may repeat (bar and stat labels,
/// button actions and leaderboard names are not unique in the contract):
/// the first of a name keeps it, the next get `#2`, `#3`... Yew requires
/// the keys of a list to differ.
pub fn unique_keys<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen = std::collections::HashMap::<&str, u32>::new();
    names
        .into_iter()
        .map(|n| {
            let k = seen.entry(n).or_insert(0);
            *k += 1;
            if *k == 1 {
                n.to_owned()
            } else {
                format!("{n}#{k}")
            }
        })
        .collect()
}

/// One version's values, by label.
#[derive(Debug, Clone, PartialEq, Default)]
struct Values {
    bars: Vec<(String, f64)>,
    stats: Vec<(String, String)>,
}

impl Values {
    fn of(bars: &[Bar], stats: &[Stat]) -> Values {
        Values {
            bars: bars.iter().map(|b| (b.label.clone(), b.current)).collect(),
            stats: stats
                .iter()
                .map(|s| (s.label.clone(), stat_value(s)))
                .collect(),
        }
    }
}

/// What changed in the version last observed, compared with the previous
/// *different* one: bars whose `current` moved (by how much) and stats
/// whose value changed. Observing the same version again keeps the answer,
/// so a re-render never replays a change; the next version replaces it.
/// Nothing has changed on the first observation (a widget just shown).
#[derive(Debug, Clone, Default)]
pub struct Changes {
    last: Option<(u64, Values)>,
    deltas: Vec<(String, f64)>,
    stats: Vec<String>,
}

impl Changes {
    /// Observes the state drawn for version `seq`. Returns whether it was a
    /// new state.
    pub fn observe(&mut self, seq: u64, bars: &[Bar], stats: &[Stat]) -> bool {
        let now = Values::of(bars, stats);
        let Some((last_seq, before)) = &self.last else {
            self.last = Some((seq, now));
            return true;
        };
        if *last_seq == seq {
            // The same version drawn again (perhaps a parent re-rendered).
            if *before != now {
                self.last = Some((seq, now));
            }
            return false;
        }
        if *before == now {
            // A new version that changed nothing here (a timer, a sound).
            self.deltas.clear();
            self.stats.clear();
            self.last = Some((seq, now));
            return true;
        }
        self.deltas = now
            .bars
            .iter()
            .filter_map(|(label, v)| {
                let (_, old) = before.bars.iter().find(|(l, _)| l == label)?;
                let d = v - old;
                (d != 0.0 && d.is_finite()).then(|| (label.clone(), d))
            })
            .collect();
        self.stats = now
            .stats
            .iter()
            .filter(|(label, v)| {
                before
                    .stats
                    .iter()
                    .find(|(l, _)| l == label)
                    .is_some_and(|(_, old)| old != v)
            })
            .map(|(label, _)| label.clone())
            .collect();
        self.last = Some((seq, now));
        true
    }

    /// How much the bar `label` moved in the version last observed.
    pub fn delta(&self, label: &str) -> Option<f64> {
        self.deltas
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, d)| *d)
    }

    /// Whether the stat `label` changed in the version last observed.
    pub fn stat_changed(&self, label: &str) -> bool {
        self.stats.iter().any(|l| l == label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, current: f64) -> Bar {
        Bar {
            label: label.to_owned(),
            current,
            max: 100.0,
            color: None,
        }
    }

    fn stat(label: &str, v: &str) -> Stat {
        Stat {
            label: label.to_owned(),
            value: StatValue::Text(v.to_owned()),
        }
    }

    #[test]
    fn repeated_names_get_distinct_keys() {
        assert_eq!(
            unique_keys(["HP", "MP", "HP", "HP"]),
            ["HP", "MP", "HP#2", "HP#3"]
        );
        assert!(unique_keys([]).is_empty());
    }

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(format_number(7.0), "7");
        assert_eq!(format_number(-3.0), "-3");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_number(1.0 / 3.0), "0.33");
        assert_eq!(format_number(-0.001), "0");
        assert_eq!(format_number(f64::NAN), "");
        assert_eq!(format_number(f64::INFINITY), "");
    }

    #[test]
    fn bars_are_clamped() {
        assert_eq!(bar_percent(5.0, 10.0), 50.0);
        assert_eq!(bar_percent(15.0, 10.0), 100.0);
        assert_eq!(bar_percent(-1.0, 10.0), 0.0);
        assert_eq!(bar_percent(1.0, 0.0), 0.0);
        assert_eq!(bar_percent(f64::NAN, 10.0), 0.0);
    }

    #[test]
    fn values_as_text() {
        let b = Bar {
            label: "HP".into(),
            current: 7.0,
            max: 10.0,
            color: None,
        };
        assert_eq!(bar_value(&b), "7 / 10");
        assert_eq!(bar_value_spoken(&b), "7 of 10");
        assert_eq!(delta_text(-12.0), "\u{2212}12");
        assert_eq!(delta_text(2.5), "+2.5");
        let n = Stat {
            label: "Gold".into(),
            value: StatValue::Number(12.0),
        };
        assert_eq!(stat_value(&n), "12");
    }

    #[test]
    fn a_version_reports_what_moved_and_keeps_it_until_the_next() {
        let mut c = Changes::default();
        assert!(c.observe(1, &[bar("HP", 80.0), bar("MP", 10.0)], &[stat("Gold", "3")]));
        assert_eq!(c.delta("HP"), None, "nothing moves on mount");

        assert!(c.observe(2, &[bar("HP", 68.0), bar("MP", 10.0)], &[stat("Gold", "4")]));
        assert_eq!(c.delta("HP"), Some(-12.0));
        assert_eq!(c.delta("MP"), None, "unchanged");
        assert!(c.stat_changed("Gold"));
        // Drawn again at the same version: the same answer.
        assert!(!c.observe(2, &[bar("HP", 68.0), bar("MP", 10.0)], &[stat("Gold", "4")]));
        assert_eq!(c.delta("HP"), Some(-12.0));
        // A version that changes nothing here ends it.
        assert!(c.observe(3, &[bar("HP", 68.0), bar("MP", 10.0)], &[stat("Gold", "4")]));
        assert_eq!(c.delta("HP"), None);
        assert!(!c.stat_changed("Gold"));
        // A bar that is new has nothing to compare with.
        c.observe(4, &[bar("HP", 70.0), bar("Rage", 5.0)], &[]);
        assert_eq!(c.delta("HP"), Some(2.0));
        assert_eq!(c.delta("Rage"), None);
    }
}
