//! call0..call6 trampolines (being written).
