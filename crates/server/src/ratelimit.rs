//! Token buckets keyed by anything hashable.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// `rate` tokens a second, at most `burst` saved up.
#[derive(Debug)]
pub struct RateLimiter<K> {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<K, Bucket>>,
}

impl<K: Hash + Eq + Clone> RateLimiter<K> {
    pub fn new(rate: f64, burst: f64) -> Self {
        RateLimiter {
            rate,
            burst,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token: `Ok(tokens left)` or `Err(seconds until one is back)`.
    pub fn check(&self, key: &K, now: Instant) -> Result<f64, f64> {
        let mut map = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let b = map.entry(key.clone()).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
        b.tokens = (b.tokens + elapsed * self.rate).min(self.burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(b.tokens)
        } else {
            Err((1.0 - b.tokens) / self.rate)
        }
    }

    /// Forgets buckets that are full again (unused for long enough).
    pub fn sweep(&self, now: Instant) {
        let full_after = Duration::from_secs_f64(self.burst / self.rate);
        let mut map = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, b| now.saturating_duration_since(b.at) < full_after);
    }

    /// Seconds until an empty bucket is full again.
    pub fn window_secs(&self) -> f64 {
        self.burst / self.rate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refill() {
        let rl = RateLimiter::new(20.0, 40.0);
        let t0 = Instant::now();
        for _ in 0..40 {
            assert!(rl.check(&1, t0).is_ok());
        }
        let wait = rl.check(&1, t0).err().unwrap_or(0.0);
        assert!((wait - 0.05).abs() < 1e-9);
        assert!(rl.check(&1, t0 + Duration::from_millis(50)).is_ok());
        assert!(rl.check(&2, t0).is_ok());
    }
}
