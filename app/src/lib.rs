//! ATS Bridge web application: routes, pages, components and server functions (both targets),
//! plus the server-only domain under `ssr`.

pub mod api;
pub mod app;
pub mod components;
pub mod error;
pub mod health;
pub mod live;
pub mod merge_link;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use app::{shell, App};

/// Browser entry point: loads the current page's lazily split code, then hydrates the
/// server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(App);
}
