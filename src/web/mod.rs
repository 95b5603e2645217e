//! Layer 6 — `tanfeng serve`: the planner's workbench, a local web page to move the plan's
//! levers and see the probability of each target change, beside the parent scenario on common
//! random numbers.
//!
//! One file per job: [`routes`] (the HTTP API and its limits), [`state`] (the bounded run
//! queue, caches and the computation of one update), [`levers`] (lever views, edits, the saved
//! scenario file) and [`page`] (the one page, inline JS and CSS, no external URL).

pub mod levers;
pub mod page;
pub mod routes;
pub mod state;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use anyhow::{Context, Result, bail};

pub use routes::router;
pub use state::{AppState, Limits};

/// Why a request was refused; each maps to a 4xx (or 503 when the queue is full) with the
/// message shown to the planner.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebError {
    /// A request the API does not accept.
    #[error("{0}")]
    BadRequest(String),
    /// A lever id the lever list does not have.
    #[error("unknown lever '{id}'; levers: {known}")]
    UnknownLever {
        /// Id sent.
        id: String,
        /// Ids known.
        known: String,
    },
    /// Fields of another family, or missing fields.
    #[error("lever '{lever}' is {family}: give exactly the fields {expected} (got: {got})")]
    BadField {
        /// Lever id.
        lever: String,
        /// Family of its distribution.
        family: &'static str,
        /// Fields expected.
        expected: String,
        /// Fields given.
        got: String,
    },
    /// A number that is not usable.
    #[error("lever '{lever}', field '{field}': {reason}")]
    BadNumber {
        /// Lever id.
        lever: String,
        /// Field.
        field: String,
        /// Why.
        reason: String,
    },
    /// A scenario (uploaded or edited) that the loader refuses, with its file position.
    #[error("{message}")]
    Scenario {
        /// The loader's message.
        message: String,
        /// 1-based line, when the loader names one.
        line: Option<usize>,
        /// 1-based column, when the loader names one.
        column: Option<usize>,
    },
    /// An unknown scenario id.
    #[error("unknown scenario '{id}'; shipped: {known}")]
    UnknownScenario {
        /// Id sent.
        id: String,
        /// Ids known.
        known: String,
    },
    /// A run queue that is full.
    #[error("busy: {0} runs are already waiting; try again in a moment")]
    Busy(usize),
    /// A run made stale by a newer request of the same page before it started.
    #[error("superseded by a newer change")]
    Superseded,
    /// A failure of ours (engine, charts); the message says which.
    #[error("{0}")]
    Internal(String),
}

/// Options of `tanfeng serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to bind.
    pub bind: IpAddr,
    /// Port.
    pub port: u16,
    /// Open the page in the default browser.
    pub open: bool,
    /// Whether a non-loopback `bind` was explicitly allowed.
    pub allow_remote: bool,
    /// Limits of the API.
    pub limits: Limits,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8080,
            open: false,
            allow_remote: false,
            limits: Limits::default(),
        }
    }
}

/// `tanfeng serve`: binds (loopback unless `allow_remote`), prints the address and serves the
/// workbench until interrupted.
pub fn serve(o: &ServeOptions) -> Result<()> {
    if !o.bind.is_loopback() {
        if !o.allow_remote {
            bail!(
                "--bind {} is not a loopback address: anyone who can reach this machine could use the workbench; add --allow-remote to do it anyway",
                o.bind
            );
        }
        eprintln!(
            "warning: serving on {} — the workbench has no login; anyone who can reach this address can run scenarios",
            o.bind
        );
    }
    let state = AppState::new(o.limits.clone())?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the web server's runtime")?;
    rt.block_on(async move {
        let addr = SocketAddr::new(o.bind, o.port);
        let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| {
            format!("binding {addr} (is another program using the port? try --port)")
        })?;
        let local = listener.local_addr().context("reading the bound address")?;
        let url = format!("http://{local}/");
        println!("tanfeng workbench: {url}  (Ctrl-C to stop)");
        if o.open {
            // Best effort: without a desktop the address printed above is enough.
            let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
        }
        axum::serve(listener, router(state))
            .await
            .context("serving the workbench")
    })
}
