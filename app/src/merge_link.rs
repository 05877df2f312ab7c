//! The browser side of Merge Link: `MergeLink.initialize({linkToken, onSuccess, onExit,
//! onReady})` then `MergeLink.openLink()` — the same calls whether the script comes from
//! Merge's CDN or from the sandbox.

/// What Merge Link reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkEvent {
    /// The user linked an account; exchange this public token on the server.
    Success(String),
    /// The user closed Merge Link without linking.
    Exit,
}

/// Opens Merge Link with `link_token`; `on_event` is called once with the outcome.
#[cfg(feature = "hydrate")]
pub fn open(link_token: &str, on_event: impl Fn(LinkEvent) + 'static) -> Result<(), String> {
    use js_sys::{Function, Object, Reflect};
    use std::rc::Rc;
    use wasm_bindgen::{prelude::Closure, JsCast, JsValue};

    let merge_link = Reflect::get(&js_sys::global(), &JsValue::from_str("MergeLink"))
        .ok()
        .filter(|v| v.is_object())
        .ok_or("The Merge Link script did not load. Check your connection and reload the page.")?;
    let method = |name: &str| -> Result<Function, String> {
        Reflect::get(&merge_link, &JsValue::from_str(name))
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .ok_or_else(|| format!("Merge Link has no {name}()"))
    };
    let initialize = method("initialize")?;
    let open_link = method("openLink")?;
    let on_event = Rc::new(on_event);
    let success = {
        let on_event = on_event.clone();
        Closure::<dyn Fn(JsValue)>::new(move |token: JsValue| {
            on_event(LinkEvent::Success(token.as_string().unwrap_or_default()))
        })
    };
    let exit = Closure::<dyn Fn()>::new(move || on_event(LinkEvent::Exit));
    let ready = {
        let merge_link = merge_link.clone();
        let open_link = open_link.clone();
        Closure::<dyn Fn()>::new(move || {
            let _ = open_link.call0(&merge_link);
        })
    };
    let config = Object::new();
    let set = |k: &str, v: &JsValue| Reflect::set(&config, &JsValue::from_str(k), v).map(|_| ());
    set("linkToken", &JsValue::from_str(link_token)).map_err(|_| "bad config")?;
    set("onSuccess", success.as_ref()).map_err(|_| "bad config")?;
    set("onExit", exit.as_ref()).map_err(|_| "bad config")?;
    set("onReady", ready.as_ref()).map_err(|_| "bad config")?;
    // The callbacks live as long as the page: Merge Link may call them at any time.
    success.forget();
    exit.forget();
    ready.forget();
    initialize
        .call1(&merge_link, &config)
        .map_err(|_| "Merge Link failed to start.".to_string())?;
    Ok(())
}

/// On the server there is no Merge Link; the button only works once the page is hydrated.
#[cfg(not(feature = "hydrate"))]
pub fn open(_link_token: &str, _on_event: impl Fn(LinkEvent) + 'static) -> Result<(), String> {
    Err("Merge Link needs JavaScript.".into())
}
