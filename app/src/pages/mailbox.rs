//! The demo mailbox: in the embedded sandbox it stands in for the marketplace's mailer and for
//! SMTP, and shows the candidate links, invitations and password resets that would be e-mailed.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::requests::list_mail,
    components::{Card, ErrorBox},
};

/// The demo mailbox page.
#[component]
pub fn MailboxPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| list_mail());
    view! {
        <Title text="Demo mailbox · ATS Bridge"/>
        <h1 class="text-2xl font-bold">"Demo mailbox"</h1>
        <p role="note" class="my-2 rounded border border-amber-300 bg-amber-50 p-2 text-amber-900">
            "Local demo only — not part of the product. In production the marketplace's mailer sends candidates' e-mails, and SMTP (ATSB_SMTP_URL) sends invitations and password resets."
        </p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(mails) if mails.is_empty() => view! { <p>"No messages yet."</p> }.into_any(),
                    Ok(mails) => mails.into_iter().map(|m| view! {
                        <Card title=m.subject.clone()>
                            <p class="text-sm text-slate-600">{format!("To {} · {}", m.to, m.at)}</p>
                            <p class="mt-2 whitespace-pre-line">{m.body}</p>
                            <p class="mt-2"><a class="text-blue-800 underline" href=m.link data-testid="mail-link">"Open the link"</a></p>
                        </Card>
                    }).collect_view().into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
