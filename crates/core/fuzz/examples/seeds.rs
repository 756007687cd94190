//! Writes the seed corpus for `cargo fuzz run parse_validate_apply`:
//! one file per fixture case and viewer, into `corpus/parse_validate_apply/`.
//!
//!     cargo run --manifest-path crates/core/fuzz/Cargo.toml --example seeds

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/parse_validate_apply");
    std::fs::create_dir_all(&dir).expect("can create the corpus directory");
    let seeds = tulip_core_fuzz::seeds();
    for (name, input) in &seeds {
        std::fs::write(dir.join(format!("seed-{name}")), input).expect("can write a seed");
    }
    println!("wrote {} seeds to {}", seeds.len(), dir.display());
}
