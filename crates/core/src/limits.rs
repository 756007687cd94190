//! Every limit of PROTOCOL.md section 7, plus the ones this project chose
//! where the contract is silent (see docs/limits.md).

/// Characters in any string.
pub const MAX_STRING_CHARS: usize = 10_000;
/// Characters in an id (element ids, child ids, choice ids, actions, user ids).
pub const MAX_ID_CHARS: usize = 256;
/// Grid width and height.
pub const MAX_GRID_SIDE: u32 = 256;
/// Map world width and height.
pub const MAX_MAP_SIDE: u32 = 1024;
/// Sprites on one canvas.
pub const MAX_SPRITES: usize = 4_000;
/// Cards in one cards widget.
pub const MAX_CARDS: usize = 500;
/// Composites nested in composites, counting the outermost.
pub const MAX_COMPOSITE_DEPTH: usize = 4;
/// Children of one composite.
pub const MAX_CHILDREN: usize = 16;
/// Terminal lines (and the largest `max_lines`).
pub const MAX_TERMINAL_LINES: usize = 10_000;
/// Any other list (bars, stats, choices, entries, tiles, markers, players...).
pub const MAX_LIST: usize = 10_000;
/// Canvas width and height in pixels.
pub const MAX_CANVAS_PX: u32 = 4_096;
/// Grid cell size in pixels.
pub const MAX_CELL_SIZE: u32 = 256;
/// Inventory rows and columns.
pub const MAX_INVENTORY_SIDE: u32 = 64;
/// Largest absolute sprite coordinate or rotation.
pub const MAX_COORD: f64 = 1_000_000.0;
/// Largest sprite scale.
pub const MAX_SCALE: f64 = 100.0;
/// Key bindings, sounds and settings on one widget.
pub const MAX_SMALL_MAP: usize = 64;
/// Longest timer, in seconds (one day).
pub const MAX_TIMER_SECONDS: f64 = 86_400.0;
/// Largest animation or emphasis duration, in milliseconds.
pub const MAX_DURATION_MS: u32 = 60_000;
/// Largest `update_rate` a widget may announce.
pub const MAX_UPDATE_RATE: f64 = 60.0;
