//! The candidate's page behind the signed link in their e-mail: accept or decline.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    api::requests::{get_invitation, AnswerInvitation},
    components::{refresh_key, Card, ErrorBox, Flash, BUTTON, BUTTON_LIGHT},
};

/// Accept or decline an interview request; works without JavaScript.
#[component]
pub fn RespondPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let key = refresh_key();
    let data = Resource::new(move || (token(), key()), |(t, _)| get_invitation(t));
    let answer = ServerAction::<AnswerInvitation>::new();
    view! {
        <Title text="Interview request"/>
        <Flash/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(inv) => view! {
                        <h1 class="text-2xl font-bold">{format!("{} would like to interview you", inv.company)}</h1>
                        <Card title=inv.position.clone()>
                            <p>{format!("Hi {},", inv.candidate)}</p>
                            {(!inv.message.is_empty()).then(|| view! { <p class="mt-2 italic">{format!("“{}”", inv.message)}</p> })}
                            {match inv.state.as_str() {
                                "sent" => view! {
                                    <p class="mt-3">"If you accept, your marketplace profile is shared with the company's hiring system."</p>
                                    <div class="mt-4 flex gap-3">
                                        <ActionForm action=answer>
                                            <input type="hidden" name="token" value=token()/>
                                            <input type="hidden" name="decision" value="accept"/>
                                            <button type="submit" class=BUTTON>"Accept"</button>
                                        </ActionForm>
                                        <ActionForm action=answer>
                                            <input type="hidden" name="token" value=token()/>
                                            <input type="hidden" name="decision" value="decline"/>
                                            <button type="submit" class=BUTTON_LIGHT>"Decline"</button>
                                        </ActionForm>
                                    </div>
                                }.into_any(),
                                "declined" => view! { <p class="mt-3" data-testid="answer">"You declined this request."</p> }.into_any(),
                                _ => view! { <p class="mt-3" data-testid="answer">"You accepted this request. The company will be in touch."</p> }.into_any(),
                            }}
                        </Card>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
