//! Translation catalogues: gettext PO files under `sources/translations/<language>/`.
//!
//! - [`po`]: the PO format (parser and writer, laid out as gettext's tools lay it out,
//!   [`wrap`]).

pub mod po;
pub mod wrap;
