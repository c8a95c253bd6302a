//! The Nomad device plugin: config, the long-lived Fingerprint and Stats streams, Reserve.
//!
//! NVML is opened lazily, on the first stream or Reserve after the config is known, from the
//! source the config picks (`fake_nvml`, else `$YURT_NVIDIA_FAKE`, else the real library). A
//! source that fails to open is retried every fingerprint period, so a driver that appears
//! later is picked up; until then the plugin fingerprints no devices and logs why, once per
//! distinct reason. The Fingerprint stream sends at once and then only on change; Stats sends
//! at once and then every interval. Both end when the host cancels them.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use yurt::Error;
use yurt::base::{BasePlugin, PluginConfig, PluginInfo};
use yurt::device::{DeviceGroup, DeviceGroupStats, DevicePlugin, Reservation};
use yurt::driver::PluginStream;
use yurt::hclspec::Spec;

use crate::config::{self, Config};
use crate::fingerprint;
use crate::inventory::{self, Inventory};
use crate::nvml::Nvml;
use crate::nvml::dynamic::DynamicNvml;
use crate::nvml::fake::{FAKE_ENV, FakeNvml};
use crate::reserve;
use crate::stats;

/// The name Nomad registers the plugin under.
pub const PLUGIN_NAME: &str = "nvidia-gpu";

/// Where NVML comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// `libnvidia-ml.so.1`, found by [`DynamicNvml::open_default`].
    Real,
    /// A [`FakeNvml`] description file.
    Fake(PathBuf),
}

impl Source {
    /// The source `cfg` selects: `fake_nvml`, else `$YURT_NVIDIA_FAKE`, else the real NVML.
    pub fn select(cfg: &Config) -> Source {
        if let Some(p) = &cfg.fake_nvml {
            return Source::Fake(p.clone());
        }
        match std::env::var_os(FAKE_ENV) {
            Some(p) if !p.is_empty() => Source::Fake(PathBuf::from(p)),
            _ => Source::Real,
        }
    }

    fn open(&self) -> Result<Arc<dyn Nvml>, String> {
        match self {
            Source::Real => DynamicNvml::open_default()
                .map(|n| Arc::new(n) as Arc<dyn Nvml>)
                .map_err(|e| e.to_string()),
            Source::Fake(p) => FakeNvml::open(p)
                .map(|n| Arc::new(n) as Arc<dyn Nvml>)
                .map_err(|e| e.to_string()),
        }
    }
}

#[derive(Default)]
struct State {
    config: Config,
    opened: BTreeMap<Source, Arc<dyn Nvml>>,
    latest: Option<(Source, Inventory)>,
}

struct Shared {
    state: Mutex<State>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere must not take the plugin down with it; the state stays consistent
        // because every critical section only replaces whole values.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn config(&self) -> Config {
        self.lock().config.clone()
    }

    /// NVML for `cfg`, opening it if needed; `Err` says why there is none.
    async fn nvml(&self, cfg: &Config) -> Result<(Source, Arc<dyn Nvml>), String> {
        let source = Source::select(cfg);
        if let Some(n) = self.lock().opened.get(&source) {
            return Ok((source, n.clone()));
        }
        // dlopen and nvmlInit can take seconds on a GPU without persistence mode.
        let s = source.clone();
        let n = tokio::task::spawn_blocking(move || s.open())
            .await
            .map_err(|e| format!("opening NVML: the loader thread failed: {e}"))??;
        tracing::info!(nvml = %n.describe(), "NVML opened");
        let mut st = self.lock();
        let n = st.opened.entry(source.clone()).or_insert(n).clone();
        Ok((source, n))
    }

    fn previous(&self, source: &Source) -> Option<Inventory> {
        match &self.lock().latest {
            Some((s, inv)) if s == source => Some(inv.clone()),
            _ => None,
        }
    }

    fn remember(&self, source: Source, inv: Inventory) {
        self.lock().latest = Some((source, inv));
    }

    /// Scans on a blocking thread (NVML calls block).
    async fn scan(
        self: &Arc<Self>,
        cfg: &Config,
        source: Source,
        nvml: Arc<dyn Nvml>,
    ) -> Result<Inventory, String> {
        let ignored = cfg.ignored_gpu_ids.clone();
        let previous = self.previous(&source);
        let inv = tokio::task::spawn_blocking(move || {
            inventory::scan(nvml.as_ref(), &ignored, previous.as_ref())
        })
        .await
        .map_err(|e| format!("NVML scan thread failed: {e}"))?
        .map_err(|e| e.to_string())?;
        self.remember(source, inv.clone());
        Ok(inv)
    }

    /// The last fingerprinted inventory, or a fresh scan when there is none.
    async fn inventory(
        self: &Arc<Self>,
        cfg: &Config,
        source: Source,
        nvml: Arc<dyn Nvml>,
    ) -> Result<Inventory, String> {
        match self.previous(&source) {
            Some(inv) => Ok(inv),
            None => self.scan(cfg, source, nvml).await,
        }
    }
}

/// The `nvidia-gpu` device plugin.
pub struct NvidiaPlugin {
    shared: Arc<Shared>,
}

impl Default for NvidiaPlugin {
    fn default() -> Self {
        Self::new()
    }
}

impl NvidiaPlugin {
    /// A plugin with the default config (enabled, real NVML unless `$YURT_NVIDIA_FAKE` is set).
    pub fn new() -> Self {
        NvidiaPlugin {
            shared: Arc::new(Shared {
                state: Mutex::new(State::default()),
            }),
        }
    }
}

impl BasePlugin for NvidiaPlugin {
    fn info(&self) -> PluginInfo {
        PluginInfo {
            name: PLUGIN_NAME.into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }

    fn config_schema(&self) -> Option<Spec> {
        Some(config::schema())
    }

    async fn set_config(&self, cfg: PluginConfig) -> Result<(), Error> {
        let c = config::decode(&cfg.msgpack).map_err(Error::InvalidConfig)?;
        self.shared.lock().config = c;
        Ok(())
    }
}

/// Logs a line only when its text differs from the last one logged through the same slot.
fn once(slot: &mut Option<String>, text: String, log: impl FnOnce(&str)) {
    if slot.as_deref() != Some(text.as_str()) {
        log(&text);
        *slot = Some(text);
    }
}

async fn fingerprint_loop(shared: Arc<Shared>, tx: mpsc::Sender<Result<Vec<DeviceGroup>, Error>>) {
    let mut last: Option<Vec<DeviceGroup>> = None;
    let mut problem: Option<String> = None;
    let mut warned: Option<String> = None;
    loop {
        let cfg = shared.config();
        let groups = if !cfg.enabled {
            once(
                &mut problem,
                "disabled by config (enabled = false)".into(),
                |t| tracing::info!("fingerprinting no devices: {t}"),
            );
            Vec::new()
        } else {
            match shared.nvml(&cfg).await {
                Err(why) => {
                    once(&mut problem, why, |t| {
                        tracing::warn!("fingerprinting no devices: {t}")
                    });
                    Vec::new()
                }
                Ok((source, nvml)) => match shared.scan(&cfg, source, nvml).await {
                    Ok(inv) => {
                        problem = None;
                        if !inv.warnings.is_empty() {
                            once(&mut warned, inv.warnings.join("; "), |t| {
                                tracing::warn!("NVML: {t}")
                            });
                        }
                        if !inv.ignored.is_empty() {
                            tracing::debug!(ignored = %inv.ignored.join(","), "ignored_gpu_ids");
                        }
                        fingerprint::groups(&inv)
                    }
                    Err(e) => {
                        once(&mut problem, e.clone(), |t| {
                            tracing::error!("listing GPUs failed, marking them unhealthy: {t}")
                        });
                        fingerprint::all_unhealthy(last.as_deref().unwrap_or(&[]), &e)
                    }
                },
            }
        };
        if last.as_ref() != Some(&groups) {
            let d = fingerprint::diff(last.as_deref().unwrap_or(&[]), &groups);
            let devices: usize = groups.iter().map(|g| g.devices.len()).sum();
            tracing::info!(
                devices,
                added = %d.added.join(","),
                removed = %d.removed.join(","),
                changed = %d.changed.join(","),
                "fingerprint"
            );
            if tx.send(Ok(groups.clone())).await.is_err() {
                return;
            }
            last = Some(groups);
        }
        tokio::select! {
            _ = tokio::time::sleep(cfg.fingerprint_period) => {}
            _ = tx.closed() => return,
        }
    }
}

async fn stats_loop(
    shared: Arc<Shared>,
    every: Duration,
    tx: mpsc::Sender<Result<Vec<DeviceGroupStats>, Error>>,
) {
    let mut problem: Option<String> = None;
    loop {
        let cfg = shared.config();
        let nvml = match cfg.enabled {
            true => Some(shared.nvml(&cfg).await),
            false => None,
        };
        let sample = match nvml {
            None => Vec::new(),
            Some(Err(why)) => {
                once(&mut problem, why, |t| {
                    tracing::debug!("no device stats: {t}")
                });
                Vec::new()
            }
            Some(Ok((source, nvml))) => match shared.inventory(&cfg, source, nvml.clone()).await {
                Ok(inv) => tokio::task::spawn_blocking(move || {
                    stats::collect(nvml.as_ref(), &inv, SystemTime::now())
                })
                .await
                .unwrap_or_default(),
                Err(e) => {
                    once(&mut problem, e, |t| tracing::warn!("no device stats: {t}"));
                    Vec::new()
                }
            },
        };
        if tx.send(Ok(sample)).await.is_err() {
            return;
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = tx.closed() => return,
        }
    }
}

impl DevicePlugin for NvidiaPlugin {
    fn fingerprint(&self) -> PluginStream<Result<Vec<DeviceGroup>, Error>> {
        let (tx, rx) = mpsc::channel(1);
        tokio::spawn(fingerprint_loop(self.shared.clone(), tx));
        Box::pin(ReceiverStream::new(rx))
    }

    async fn reserve(&self, device_ids: Vec<String>) -> Result<Reservation, Error> {
        let cfg = self.shared.config();
        if !cfg.enabled {
            return Err(Error::other("device is not enabled"));
        }
        if device_ids.is_empty() {
            return Ok(Reservation::default());
        }
        let (source, nvml) = self.shared.nvml(&cfg).await.map_err(|why| {
            Error::other(format!(
                "unknown device IDs: {} (no GPUs: {why})",
                device_ids.join(",")
            ))
        })?;
        let inv = self
            .shared
            .inventory(&cfg, source, nvml)
            .await
            .map_err(|e| Error::other(format!("listing GPUs: {e}")))?;
        reserve::reserve(&inv, &device_ids)
    }

    fn stats(&self, interval: Duration) -> PluginStream<Result<Vec<DeviceGroupStats>, Error>> {
        let (tx, rx) = mpsc::channel(1);
        tokio::spawn(stats_loop(self.shared.clone(), interval, tx));
        Box::pin(ReceiverStream::new(rx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio_stream::StreamExt;

    fn write_fake(dir: &tempfile::TempDir, json: &str) -> PathBuf {
        let p = dir.path().join("fake.json");
        std::fs::write(&p, json).unwrap();
        p
    }

    fn plugin_with(cfg: Config) -> NvidiaPlugin {
        let p = NvidiaPlugin::new();
        p.shared.lock().config = cfg;
        p
    }

    fn fast(fake: Option<PathBuf>) -> Config {
        Config {
            fingerprint_period: Duration::from_millis(20),
            fake_nvml: fake,
            ..Config::default()
        }
    }

    fn ids(groups: &[DeviceGroup]) -> Vec<String> {
        groups
            .iter()
            .flat_map(|g| g.devices.iter().map(|d| d.id.clone()))
            .collect()
    }

    async fn next<T>(s: &mut PluginStream<Result<T, Error>>) -> T {
        tokio::time::timeout(Duration::from_secs(5), s.next())
            .await
            .expect("a message within 5 s")
            .expect("stream open")
            .expect("no error")
    }

    #[tokio::test]
    async fn a_disappearing_gpu_is_removed_from_the_next_fingerprint_and_reserve() {
        let dir = tempfile::tempdir().unwrap();
        let f = write_fake(
            &dir,
            r#"{"gpus": [
                {"uuid": "GPU-0", "name": "NVIDIA H100 80GB HBM3", "memory_mib": 81559},
                {"uuid": "GPU-1", "name": "NVIDIA H100 80GB HBM3", "memory_mib": 81559,
                 "vanish_after_scans": 2}
            ]}"#,
        );
        // Slow enough that Reserve runs before the second scan.
        let p = plugin_with(Config {
            fingerprint_period: Duration::from_millis(300),
            ..fast(Some(f))
        });
        let mut s = p.fingerprint();
        assert_eq!(ids(&next(&mut s).await), ["GPU-0", "GPU-1"]);
        p.reserve(vec!["GPU-1".into()]).await.unwrap();
        // Scan 2 sees the same devices (no message); scan 3 does not see GPU-1.
        assert_eq!(ids(&next(&mut s).await), ["GPU-0"]);
        let e = p.reserve(vec!["GPU-1".into()]).await.unwrap_err();
        assert_eq!(e.to_string(), "unknown device IDs: GPU-1");
    }

    #[tokio::test]
    async fn an_nvml_error_marks_known_devices_unhealthy_without_ending_the_stream() {
        let dir = tempfile::tempdir().unwrap();
        let f = write_fake(
            &dir,
            r#"{"count_error_after_scans": 1,
                "gpus": [{"uuid": "GPU-0", "name": "NVIDIA H100 80GB HBM3"}]}"#,
        );
        let p = plugin_with(fast(Some(f)));
        let mut s = p.fingerprint();
        let first = next(&mut s).await;
        assert!(first[0].devices[0].healthy);
        let second = next(&mut s).await;
        let d = &second[0].devices[0];
        assert_eq!(d.id, "GPU-0");
        assert!(!d.healthy);
        assert_eq!(
            d.health_description,
            "unhealthy: nvmlDeviceGetCount_v2: NVML_ERROR_UNKNOWN (999)"
        );
    }

    #[tokio::test]
    async fn without_nvml_the_fingerprint_is_empty_and_stays_open() {
        let dir = tempfile::tempdir().unwrap();
        // A fake whose NVML fails to initialise stands in for a machine without a driver;
        // the real loader's "not found" path is tested in nvml::dynamic.
        let f = write_fake(&dir, r#"{"init_error": "NVML_ERROR_DRIVER_NOT_LOADED"}"#);
        let p = plugin_with(fast(Some(f)));
        let mut s = p.fingerprint();
        assert!(next(&mut s).await.is_empty());
        // Open: nothing more arrives, and it has not ended.
        let more = tokio::time::timeout(Duration::from_millis(200), s.next()).await;
        assert!(more.is_err(), "expected no further message, got {more:?}");
        let mut st = p.stats(Duration::from_millis(10));
        assert!(next(&mut st).await.is_empty());
        let e = p.reserve(vec!["GPU-0".into()]).await.unwrap_err();
        assert!(
            e.to_string()
                .starts_with("unknown device IDs: GPU-0 (no GPUs: fake NVML"),
            "{e}"
        );
        assert!(
            e.to_string().contains("NVML_ERROR_DRIVER_NOT_LOADED"),
            "{e}"
        );
    }

    #[tokio::test]
    async fn disabled_means_no_devices_and_reserve_fails() {
        let p = plugin_with(Config {
            enabled: false,
            ..fast(None)
        });
        let mut s = p.fingerprint();
        assert!(next(&mut s).await.is_empty());
        let e = p.reserve(vec!["GPU-0".into()]).await.unwrap_err();
        assert_eq!(e.to_string(), "device is not enabled");
    }

    #[tokio::test]
    async fn stats_cover_fingerprinted_devices_at_the_interval() {
        let dir = tempfile::tempdir().unwrap();
        let f = write_fake(
            &dir,
            r#"{"gpus": [{"uuid": "GPU-0", "name": "A", "memory_mib": 100},
                         {"uuid": "GPU-1", "name": "B", "memory_mib": 100}]}"#,
        );
        let p = plugin_with(Config {
            ignored_gpu_ids: ["GPU-1".to_string()].into(),
            ..fast(Some(f))
        });
        let mut s = p.stats(Duration::from_millis(50));
        let start = tokio::time::Instant::now();
        for _ in 0..3 {
            let g = next(&mut s).await;
            assert_eq!(g.len(), 1);
            assert_eq!(g[0].instances.keys().collect::<Vec<_>>(), ["GPU-0"]);
        }
        assert!(start.elapsed() >= Duration::from_millis(100));
    }

    #[tokio::test]
    async fn set_config_rejects_bad_values_by_field() {
        let p = NvidiaPlugin::new();
        #[derive(serde::Serialize)]
        struct C {
            fingerprint_period: &'static str,
        }
        let msgpack = yurt::config::encode(
            "t",
            &C {
                fingerprint_period: "fast",
            },
        )
        .unwrap();
        let e = p
            .set_config(PluginConfig {
                msgpack,
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert!(matches!(e, Error::InvalidConfig(_)));
        assert!(e.to_string().contains("fingerprint_period"), "{e}");
    }
}
