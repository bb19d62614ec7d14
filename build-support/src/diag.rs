//! Errors that point at the token they come from.
//!
//! The macro turns them into `compile_error!` at the span; the build step prints
//! them as `file:line:column: message`.

use proc_macro2::Span;
use std::fmt;

/// One mistake in a `#[go_asm]` function, located at a token.
#[derive(Clone, Debug)]
pub struct Error {
    pub span: Span,
    pub message: String,
}

impl Error {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Error {
            span,
            message: message.into(),
        }
    }

    /// `file:line:column: message`, for the build step (spans carry locations there).
    pub fn located(&self, file: &str) -> String {
        let start = self.span.start();
        format!(
            "{file}:{}:{}: {}",
            start.line,
            start.column + 1,
            self.message
        )
    }

    pub fn to_compile_error(&self) -> proc_macro2::TokenStream {
        syn::Error::new(self.span, &self.message).to_compile_error()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<syn::Error> for Error {
    fn from(e: syn::Error) -> Self {
        Error::new(e.span(), e.to_string())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Shorthand for `Err(Error::new(span, format!(...)))`.
macro_rules! bail {
    ($span:expr, $($fmt:tt)*) => {
        return Err($crate::diag::Error::new($span, format!($($fmt)*)))
    };
}
pub(crate) use bail;
