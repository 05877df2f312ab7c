//! Live pages: once someone is signed in, the browser opens one server-sent event stream
//! (`/events`, see `ssr::events`); every change the server announces for the tenant bumps a
//! signal, and pages that put [`live_key`] in their resource keys refetch. Without JavaScript
//! pages are current when loaded, as before.

use leptos::prelude::*;

/// The counter pages watch, and whether the stream is open.
#[derive(Clone, Copy)]
struct Live {
    tick: RwSignal<u32>,
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    open: StoredValue<bool>,
}

/// Provides the live counter to the app (call once, at the root).
pub fn provide_live() {
    provide_context(Live {
        tick: RwSignal::new(0),
        open: StoredValue::new(false),
    });
}

/// A value that changes whenever the server announces a change for the tenant.
pub fn live_key() -> impl Fn() -> u32 + Copy + Send + Sync + 'static {
    let live = use_context::<Live>();
    move || live.map(|l| l.tick.get()).unwrap_or(0)
}

/// Opens the event stream (in the browser, once per page load, for a signed-in person).
pub fn connect() {
    #[cfg(feature = "hydrate")]
    if let Some(live) = use_context::<Live>() {
        if !live.open.get_value() && open_stream(live.tick) {
            live.open.set_value(true);
        }
    }
}

#[cfg(feature = "hydrate")]
fn open_stream(tick: RwSignal<u32>) -> bool {
    use js_sys::{Array, Function, Reflect};
    use wasm_bindgen::{prelude::Closure, JsCast, JsValue};

    let ctor = Reflect::get(&js_sys::global(), &JsValue::from_str("EventSource"))
        .ok()
        .and_then(|c| c.dyn_into::<Function>().ok());
    let Some(ctor) = ctor else {
        return false;
    };
    let Ok(source) = Reflect::construct(&ctor, &Array::of1(&JsValue::from_str("/events"))) else {
        return false;
    };
    let add = Reflect::get(&source, &JsValue::from_str("addEventListener"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    let Some(add) = add else {
        return false;
    };
    let on_change = Closure::<dyn Fn()>::new(move || tick.update(|t| *t = t.wrapping_add(1)));
    let added = add
        .call2(&source, &JsValue::from_str("changed"), on_change.as_ref())
        .is_ok();
    // The stream lives as long as the page; so does its listener.
    on_change.forget();
    added
}
