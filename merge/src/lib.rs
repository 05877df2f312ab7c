//! Merge.dev ATS API: the wire types shared by the client and the sandbox, the typed client,
//! webhook signatures, and (behind the `sandbox` feature) a local fake of Merge.

pub mod client;
pub mod error;
pub mod types;
pub mod webhook;

#[cfg(feature = "sandbox")]
pub mod sandbox;

pub use client::{api_root_for_region, Client, ListQuery};
pub use error::{MergeError, Result};
pub use types::*;
