//! Keyboard capture for widgets with `keyboard` bindings. Not written yet.
