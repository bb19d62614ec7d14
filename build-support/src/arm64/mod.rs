//! The arm64 backend (being written).
