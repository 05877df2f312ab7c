//! The sign-in page.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::session::Login,
    components::{Flash, BUTTON, INPUT},
};

/// E-mail and password; works without JavaScript.
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    view! {
        <Title text="Sign in · ATS Bridge"/>
        <div class="mx-auto max-w-sm">
            <h1 class="mb-4 text-2xl font-bold">"Sign in"</h1>
            <Flash/>
            <ActionForm action=login>
                <label class="mb-3 block">
                    <span class="mb-1 block text-sm font-medium">"E-mail"</span>
                    <input class=INPUT type="email" name="email" autocomplete="username" required/>
                </label>
                <label class="mb-4 block">
                    <span class="mb-1 block text-sm font-medium">"Password"</span>
                    <input class=INPUT type="password" name="password" autocomplete="current-password" required/>
                </label>
                <button class=BUTTON type="submit">"Sign in"</button>
            </ActionForm>
        </div>
    }
}
