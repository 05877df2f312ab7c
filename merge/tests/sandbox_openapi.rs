//! The sandbox's responses validated strictly against Merge's 2024 ATS OpenAPI spec
//! (`merge/merge-ats/merge_ats.openapi.json`, a copy of the brief's): OpenAPI 3.0 `nullable` becomes a `null` type,
//! every object schema gets `additionalProperties: false`, and only the fields Merge added after
//! that spec (listed in `NEWER_FIELDS`, documented in `docs/sandbox.md`) are allowed on top.

#![cfg(feature = "sandbox")]

mod sandbox_support;

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use sandbox_support::{file_server, TestSandbox};

/// Fields newer than the 2024 spec that current Merge (and the sandbox) emit, per schema.
fn newer_fields() -> HashMap<&'static str, Vec<(&'static str, Value)>> {
    let date_time = json!({"type": "string", "format": "date-time"});
    HashMap::from([
        (
            "Application",
            vec![(
                "screening_question_answers",
                json!({"type": "array", "items": {"type": ["string", "object"]}}),
            )],
        ),
        ("AccountDetails", vec![("completed_at", date_time.clone())]),
        (
            "AccountToken",
            vec![("id", json!({"type": "string", "format": "uuid"}))],
        ),
        (
            "SyncStatus",
            vec![
                (
                    "last_sync_result",
                    json!({"$ref": "#/components/schemas/SyncStatusStatusEnum"}),
                ),
                ("last_sync_finished", date_time),
            ],
        ),
    ])
}

/// Out-of-enum values Merge passes through from the ATS (REFERENCE §3.1), per enum schema.
fn pass_through_values() -> HashMap<&'static str, Vec<&'static str>> {
    HashMap::from([("AccessRoleEnum", vec!["Hiring Lead"])])
}

/// OpenAPI 3.0 schema → JSON Schema 2020-12, strict about unknown properties.
fn convert(schema: &Value) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    let mut nullable = false;
    for (k, v) in map {
        match k.as_str() {
            "nullable" => nullable = v == &Value::Bool(true),
            "properties" => {
                let props: Map<String, Value> = v
                    .as_object()
                    .map(|p| p.iter().map(|(n, s)| (n.clone(), convert(s))).collect())
                    .unwrap_or_default();
                out.insert(k.clone(), Value::Object(props));
            }
            "items" | "not" => {
                out.insert(k.clone(), convert(v));
            }
            "additionalProperties" if v.is_object() => {
                out.insert(k.clone(), convert(v));
            }
            "allOf" | "anyOf" | "oneOf" => {
                let list = v
                    .as_array()
                    .map(|a| a.iter().map(convert).collect())
                    .unwrap_or_default();
                out.insert(k.clone(), Value::Array(list));
            }
            // OpenAPI-only annotations.
            "example" | "discriminator" | "xml" | "externalDocs" => {}
            _ if k.starts_with("x-") => {}
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    if out.contains_key("properties") && !out.contains_key("additionalProperties") {
        out.insert("additionalProperties".into(), Value::Bool(false));
    }
    let converted = Value::Object(out);
    if nullable {
        json!({"anyOf": [converted, {"type": "null"}]})
    } else {
        converted
    }
}

/// Merge's spec, converted, with a validator per response schema.
struct Spec {
    raw: Value,
    components: Value,
}

impl Spec {
    fn load() -> Spec {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/merge-ats/merge_ats.openapi.json"
        );
        let text = std::fs::read_to_string(path).expect("Merge OpenAPI spec readable");
        let raw: Value = serde_json::from_str(&text).expect("spec is JSON");
        let mut schemas = Map::new();
        let newer = newer_fields();
        let pass = pass_through_values();
        for (name, schema) in raw["components"]["schemas"]
            .as_object()
            .expect("components.schemas")
        {
            let mut s = convert(schema);
            if let Some(extra) = newer.get(name.as_str()) {
                let props = s["properties"]
                    .as_object_mut()
                    .expect("schema with properties");
                for (field, field_schema) in extra {
                    assert!(
                        !props.contains_key(*field),
                        "{name}.{field} is in the 2024 spec; drop it from NEWER_FIELDS"
                    );
                    props.insert((*field).to_owned(), field_schema.clone());
                }
            }
            if let Some(values) = pass.get(name.as_str()) {
                let list = s["enum"].as_array_mut().expect("an enum schema");
                list.extend(values.iter().map(|v| json!(v)));
            }
            schemas.insert(name.clone(), s);
        }
        Spec {
            raw,
            components: json!({ "schemas": schemas }),
        }
    }

    /// The response schema `$ref` of an operation.
    fn response_ref(&self, path: &str, method: &str, status: &str) -> String {
        self.raw["paths"][path][method]["responses"][status]["content"]["application/json"]
            ["schema"]["$ref"]
            .as_str()
            .unwrap_or_else(|| panic!("no {status} JSON schema for {method} {path}"))
            .to_owned()
    }

    /// The validation errors of `body` against the response schema of `method path`.
    fn errors(&self, method: &str, path: &str, status: &str, body: &Value) -> Vec<String> {
        let reference = self.response_ref(path, method, status);
        let root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": self.components,
            "$ref": reference,
        });
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&root)
            .expect("schema compiles");
        validator
            .iter_errors(body)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }

    /// Validates `body` against the response schema of `method path` with `status`.
    fn check(&self, method: &str, path: &str, status: &str, body: &Value) {
        let reference = self.response_ref(path, method, status);
        let errors = self.errors(method, path, status, body);
        assert!(
            errors.is_empty(),
            "{method} {path} ({reference}) does not match Merge's spec:\n{}\nbody: {body:#}",
            errors.join("\n")
        );
    }
}

fn results(page: &Value) -> &Vec<Value> {
    page["results"].as_array().expect("results")
}

#[tokio::test]
async fn every_endpoint_the_product_uses_matches_merges_spec() {
    let spec = Spec::load();
    let sb = TestSandbox::start().await;
    let files = file_server().await;

    // Linking, over HTTP: link token → Link completion → account-token exchange.
    let lt = sb.link_token("tenant-spec").await;
    spec.check("post", "/link-token", "200", &lt);
    let (status, done) = sb
        .complete(lt["link_token"].as_str().expect("link token"), "greenhouse")
        .await;
    assert_eq!(status, 200);
    let resp = sb
        .exchange(done["public_token"].as_str().expect("public token"))
        .await;
    assert_eq!(resp.status(), 200);
    let account: Value = resp.json().await.expect("JSON");
    spec.check("get", "/account-token/{public_token}", "200", &account);
    let token = account["account_token"].as_str().expect("token").to_owned();
    let t = token.as_str();

    spec.check(
        "get",
        "/account-details",
        "200",
        &sb.get_json(t, "/account-details").await,
    );
    spec.check(
        "get",
        "/available-actions",
        "200",
        &sb.get_json(t, "/available-actions").await,
    );
    spec.check(
        "get",
        "/sync-status",
        "200",
        &sb.get_json(t, "/sync-status").await,
    );

    let users = sb.get_json(t, "/users").await;
    spec.check("get", "/users", "200", &users);
    let user_id = results(&users)[0]["id"].as_str().expect("user id");
    spec.check(
        "get",
        "/users/{id}",
        "200",
        &sb.get_json(t, &format!("/users/{user_id}")).await,
    );
    spec.check(
        "get",
        "/users",
        "200",
        &sb.get_json(t, "/users?page_size=2").await,
    );

    let jobs = sb.get_json(t, "/jobs?include_remote_data=true").await;
    spec.check("get", "/jobs", "200", &jobs);
    let job_id = results(&jobs)[0]["id"].as_str().expect("job id").to_owned();
    spec.check(
        "get",
        "/jobs/{id}",
        "200",
        &sb.get_json(t, &format!("/jobs/{job_id}")).await,
    );
    spec.check(
        "get",
        "/job-interview-stages",
        "200",
        &sb.get_json(t, "/job-interview-stages").await,
    );
    spec.check(
        "get",
        "/job-interview-stages",
        "200",
        &sb.get_json(t, &format!("/job-interview-stages?job_id={job_id}"))
            .await,
    );
    spec.check(
        "get",
        "/reject-reasons",
        "200",
        &sb.get_json(t, "/reject-reasons").await,
    );
    spec.check(
        "get",
        "/candidates",
        "200",
        &sb.get_json(t, "/candidates?include_deleted_data=true")
            .await,
    );

    // Writes.
    let admin = sb.admin_id(t).await;
    let (status, cand) = sb
        .post(
            t,
            "/candidates",
            &json!({
                "remote_user_id": admin,
                "model": {
                    "first_name": "Ada", "last_name": "Lovelace", "title": "Engineer",
                    "email_addresses": [{"value": "ada@example.com", "email_address_type": "PERSONAL"}],
                    "phone_numbers": [{"value": "+15555550123", "phone_number_type": "MOBILE"}],
                    "urls": [{"value": "https://profiles.example.com/ada", "url_type": "PORTFOLIO"}],
                    "tags": ["OfferZen"],
                    "age": 36
                }
            }),
        )
        .await;
    assert_eq!(status, 201, "{cand}");
    assert_eq!(cand["warnings"][0]["problem_type"], "UNRECOGNIZED_FIELD");
    spec.check("post", "/candidates", "201", &cand);
    let cand_id = cand["model"]["id"]
        .as_str()
        .expect("candidate id")
        .to_owned();

    let (status, app) = sb
        .post(
            t,
            "/applications?is_debug_mode=true",
            &json!({"remote_user_id": admin, "model": {"candidate": cand_id, "job": job_id, "source": "OfferZen"}}),
        )
        .await;
    assert_eq!(status, 201, "{app}");
    spec.check("post", "/applications", "201", &app);
    let app_id = app["model"]["id"]
        .as_str()
        .expect("application id")
        .to_owned();

    let (status, nested) = sb
        .post(
            t,
            "/applications",
            &json!({"remote_user_id": admin, "model": {
                "candidate": {"first_name": "Grace", "last_name": "Hopper",
                              "email_addresses": [{"value": "grace@example.com", "email_address_type": "WORK"}]},
                "job": job_id}}),
        )
        .await;
    assert_eq!(status, 201, "{nested}");
    spec.check("post", "/applications", "201", &nested);

    let (status, att) = sb
        .post(
            t,
            "/attachments",
            &json!({"remote_user_id": admin, "model": {
                "file_name": "Ada Lovelace - OfferZen profile.pdf",
                "file_url": format!("{files}/profile.pdf"),
                "candidate": cand_id,
                "attachment_type": "RESUME"}}),
        )
        .await;
    assert_eq!(status, 201, "{att}");
    spec.check("post", "/attachments", "201", &att);
    spec.check(
        "get",
        "/attachments",
        "200",
        &sb.get_json(t, "/attachments").await,
    );

    // The ATS side moves, schedules and rejects; the reads still match the spec.
    let control = |p: &str| {
        format!(
            "/_sandbox/accounts/{}/applications/{app_id}/{p}",
            account["id"].as_str().unwrap_or_default()
        )
    };
    let (s, _) = sb
        .control(
            reqwest::Method::POST,
            &control("stage"),
            Some(json!({"stage_name": "Phone Screen"})),
        )
        .await;
    assert_eq!(s, 200);
    let (s, _) = sb
        .control(
            reqwest::Method::POST,
            &control("interviews"),
            Some(json!({"start_at": "2030-01-15T09:00:00Z", "end_at": "2030-01-15T10:00:00Z", "location": "Video call"})),
        )
        .await;
    assert_eq!(s, 200);
    let (s, _) = sb
        .control(reqwest::Method::POST, &control("reject"), None)
        .await;
    assert_eq!(s, 200);

    spec.check(
        "get",
        "/applications",
        "200",
        &sb.get_json(t, "/applications?include_deleted_data=true")
            .await,
    );
    spec.check(
        "get",
        "/applications/{id}",
        "200",
        &sb.get_json(t, &format!("/applications/{app_id}")).await,
    );
    spec.check(
        "get",
        "/candidates",
        "200",
        &sb.get_json(t, "/candidates?email_addresses=ada@example.com")
            .await,
    );
    spec.check(
        "get",
        "/interviews",
        "200",
        &sb.get_json(t, "/interviews").await,
    );
    spec.check(
        "get",
        "/interviews",
        "200",
        &sb.get_json(t, &format!("/interviews?application_id={app_id}"))
            .await,
    );
}

#[test]
fn the_validator_rejects_unknown_fields_bad_formats_and_unlisted_enum_values() {
    let spec = Spec::load();
    let good = json!({
        "id": "b82302de-852e-4e60-b050-edf9da3b7c02", "remote_id": "1",
        "created_at": "2021-09-15T00:00:00Z", "modified_at": "2021-10-16T00:00:00.482374Z",
        "first_name": "Riley", "last_name": null, "email": "riley@example.com", "disabled": false,
        "remote_created_at": null, "access_role": "Hiring Lead", "remote_was_deleted": false,
        "field_mappings": null, "remote_data": null
    });
    assert_eq!(
        spec.errors("get", "/users/{id}", "200", &good),
        Vec::<String>::new()
    );
    let mut extra = good.clone();
    extra["nickname"] = json!("R");
    assert!(!spec.errors("get", "/users/{id}", "200", &extra).is_empty());
    let mut bad_id = good.clone();
    bad_id["id"] = json!("not-a-uuid");
    assert!(!spec.errors("get", "/users/{id}", "200", &bad_id).is_empty());
    let mut bad_role = good;
    bad_role["access_role"] = json!("OWNER");
    assert!(!spec
        .errors("get", "/users/{id}", "200", &bad_role)
        .is_empty());
}

#[test]
fn conversion_makes_nullable_fields_accept_null_and_objects_strict() {
    let s = convert(&json!({
        "type": "object",
        "properties": {"name": {"type": "string", "nullable": true}}
    }));
    assert_eq!(s["additionalProperties"], false);
    assert_eq!(s["properties"]["name"]["anyOf"][1]["type"], "null");
}
