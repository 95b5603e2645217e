//! The HTTP API of the workbench. Every refusal is a 4xx (503 when the run queue is full) with
//! a JSON body `{ "error": message, "line": …, "column": … }`; nothing a client sends panics
//! the server.
//!
//! | method | path | body | answer |
//! |---|---|---|---|
//! | GET | `/` | – | the page |
//! | GET | `/api/scenarios` | – | shipped scenarios |
//! | GET | `/api/levers?scenario=ID` | – | levers of a scenario, grouped |
//! | POST | `/api/run` | [`RunRequest`] JSON | [`Update`](super::state::Update) |
//! | POST | `/api/save` | [`RunRequest`] JSON | the edited scenario file (download) |
//! | POST | `/api/upload` | scenario TOML | its key and levers, or the loader's error with line/column |

use std::sync::Arc;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::WebError;
use super::levers::{edited_id, lever_views};
use super::state::{AppState, RunRequest, UPLOAD_NAME, check_upload_extends, scenario_error};
use crate::scenario::{self, embedded};

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = match &self {
            WebError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Superseded => StatusCode::CONFLICT,
            WebError::UnknownScenario { .. } => StatusCode::NOT_FOUND,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        };
        let (line, column) = match &self {
            WebError::Scenario { line, column, .. } => (*line, *column),
            _ => (None, None),
        };
        (
            status,
            Json(json!({ "error": self.to_string(), "line": line, "column": column })),
        )
            .into_response()
    }
}

/// A JSON body or a 4xx naming what is wrong with it (size, syntax, a field's type).
fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, Box<Response>> {
    match body {
        Ok(Json(t)) => Ok(t),
        Err(e) => {
            let status = e.status();
            Err(Box::new(
                (status, Json(json!({ "error": e.body_text() }))).into_response(),
            ))
        }
    }
}

/// The router with its state and body limit.
pub fn router(state: Arc<AppState>) -> Router {
    let limit = state.limits.body_bytes;
    Router::new()
        .route("/", get(page))
        .route("/api/scenarios", get(scenarios))
        .route("/api/levers", get(levers))
        .route("/api/run", post(run))
        .route("/api/save", post(save))
        .route("/api/briefing", post(briefing))
        .route("/api/upload", post(upload))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

async fn page() -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "no-store")],
        Html(super::page::PAGE),
    )
}

async fn scenarios() -> Response {
    let list: Vec<_> = embedded::SHIPPED
        .iter()
        .filter_map(|f| scenario::load_embedded(f.id).ok())
        .map(|s| {
            json!({
                "id": s.meta.id, "title_zh": s.meta.title_zh, "title_en": s.meta.title_en,
                "base_year": s.meta.base_year, "horizon": s.meta.horizon,
            })
        })
        .collect();
    Json(list).into_response()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LeverQuery {
    scenario: String,
}

async fn levers(
    State(st): State<Arc<AppState>>,
    q: Result<Query<LeverQuery>, QueryRejection>,
) -> Response {
    let q = match q {
        Ok(Query(q)) => q,
        Err(e) => {
            return (e.status(), Json(json!({ "error": e.body_text() }))).into_response();
        }
    };
    let st2 = Arc::clone(&st);
    let key = q.scenario.clone();
    let loaded = tokio::task::spawn_blocking(move || st2.load_parent(&key)).await;
    match loaded {
        Ok(Ok(l)) => levers_json(&q.scenario, &l.scenario).into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(e) => WebError::Internal(e.to_string()).into_response(),
    }
}

fn levers_json(key: &str, s: &scenario::Scenario) -> Json<serde_json::Value> {
    let groups: Vec<_> = crate::scenario::schema::levers::LeverGroup::ALL
        .iter()
        .map(|g| {
            let (zh, en) = g.names();
            json!({ "id": g, "name_zh": zh, "name_en": en })
        })
        .collect();
    Json(json!({
        "key": key,
        "id": s.meta.id,
        "title_zh": s.meta.title_zh,
        "title_en": s.meta.title_en,
        "editable": embedded::find(key).is_some(),
        "groups": groups,
        "levers": lever_views(s),
    }))
}

async fn run(
    State(st): State<Arc<AppState>>,
    body: Result<Json<RunRequest>, JsonRejection>,
) -> Response {
    let req = match json_body(body) {
        Ok(r) => r,
        Err(resp) => return *resp,
    };
    match st.queued_update(req).await {
        Ok(u) => Json(u).into_response(),
        Err(e) => e.into_response(),
    }
}

/// The edited scenario's briefing, charts and tables as a zip download.
async fn briefing(
    State(st): State<Arc<AppState>>,
    body: Result<Json<RunRequest>, JsonRejection>,
) -> Response {
    let req = match json_body(body) {
        Ok(r) => r,
        Err(resp) => return *resp,
    };
    match st.queued_briefing(req).await {
        Ok((name, bytes)) => attachment("application/zip", &name, bytes),
        Err(e) => e.into_response(),
    }
}

/// A download: `body` with its content type, saved by the browser as `name`.
fn attachment(content_type: &str, name: &str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

async fn save(
    State(st): State<Arc<AppState>>,
    body: Result<Json<RunRequest>, JsonRejection>,
) -> Response {
    let req = match json_body(body) {
        Ok(r) => r,
        Err(resp) => return *resp,
    };
    if let Err(e) = st.check_request(&req) {
        return e.into_response();
    }
    let st2 = Arc::clone(&st);
    let out = tokio::task::spawn_blocking(move || {
        let parent = st2.load_parent(&req.scenario)?;
        let (text, changes, _) = st2.edited(&parent.scenario, &req.scenario, &req.edits)?;
        if changes.is_empty() {
            return Err(WebError::BadRequest(
                "nothing to save: no lever differs from the scenario's value".into(),
            ));
        }
        Ok((edited_id(&req.scenario), text))
    })
    .await;
    match out {
        Ok(Ok((id, text))) => attachment(
            "application/toml; charset=utf-8",
            &format!("{id}.toml"),
            text,
        ),
        Ok(Err(e)) => e.into_response(),
        Err(e) => WebError::Internal(e.to_string()).into_response(),
    }
}

async fn upload(State(st): State<Arc<AppState>>, body: String) -> Response {
    if let Err(e) = check_upload_extends(&body) {
        return e.into_response();
    }
    let st2 = Arc::clone(&st);
    let out = tokio::task::spawn_blocking(move || {
        let s =
            scenario::load_str(UPLOAD_NAME, &body).map_err(|e| scenario_error(UPLOAD_NAME, &e))?;
        // Sampler and model too, so a bad distribution is reported now, not at the first run.
        let l = super::state::ready(s, UPLOAD_NAME)?;
        let key = st2.store_upload(body, &l.scenario.meta.id);
        Ok::<_, WebError>(levers_json(&key, &l.scenario))
    })
    .await;
    match out {
        Ok(Ok(j)) => j.into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(e) => WebError::Internal(e.to_string()).into_response(),
    }
}
