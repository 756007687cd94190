//! A map kept as a sorted vector: what the model's keyed collections and
//! small string maps use instead of `BTreeMap`.
//!
//! Same order and the same everyday API as a `BTreeMap` (`get`, `insert`,
//! `remove`, `iter`, `keys`, `values`, `retain`, `collect`...), but one
//! contiguous vector: lookups are a binary search, iteration is a slice walk,
//! and each instantiation is a few small functions rather than a B-tree's
//! node code (which made up a large part of the browser bundle). Inserting a
//! new key in the middle moves the entries after it; [`SortedMap::put_all`]
//! merges many at once in one pass.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;

/// Entries sorted by key, keys unique.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SortedMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap {
            entries: Vec::new(),
        }
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for SortedMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.entries.iter().map(|(k, v)| (k, v)))
            .finish()
    }
}

impl<K, V> SortedMap<K, V> {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn with_capacity(n: usize) -> Self {
        SortedMap {
            entries: Vec::with_capacity(n),
        }
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    pub fn clear(&mut self) {
        self.entries.clear()
    }
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        self.entries.iter().map(|(k, v)| (k, v))
    }
    pub fn iter_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = (&K, &mut V)> + ExactSizeIterator {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }
    pub fn into_values(self) -> impl DoubleEndedIterator<Item = V> + ExactSizeIterator {
        self.entries.into_iter().map(|(_, v)| v)
    }
    /// Keeps the entries for which `f` is true.
    pub fn retain(&mut self, mut f: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| f(k, v))
    }
    /// The entry at position `i` in key order.
    pub fn get_index(&self, i: usize) -> Option<(&K, &V)> {
        self.entries.get(i).map(|(k, v)| (k, v))
    }
    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        self.get_index(0)
    }
    pub fn last_key_value(&self) -> Option<(&K, &V)> {
        self.entries.last().map(|(k, v)| (k, v))
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// Where `key` is (`Ok`) or would go (`Err`), knowing that every key
    /// before position `from` is smaller: a search that gallops from there,
    /// cheap when keys are looked up in ascending order.
    pub fn find_from(&self, from: usize, key: &K) -> Result<usize, usize> {
        let n = self.entries.len();
        let mut lo = from.min(n);
        let mut bound = 1;
        while lo + bound <= n && self.entries[lo + bound - 1].0 < *key {
            lo += bound;
            bound *= 2;
        }
        let hi = (lo + bound).min(n);
        match self.entries[lo..hi].binary_search_by(|(k, _)| k.cmp(key)) {
            Ok(i) => Ok(lo + i),
            Err(i) => Err(lo + i),
        }
    }

    /// The position of `key` in key order.
    pub fn index_of<Q: Ord + ?Sized>(&self, key: &Q) -> Option<usize>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok()
    }

    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        match self.find(key) {
            Ok(i) => Some(&mut self.entries[i].1),
            Err(_) => None,
        }
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Inserts or replaces; gives the replaced value.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        match self.find(key) {
            Ok(i) => Some(self.entries.remove(i).1),
            Err(_) => None,
        }
    }

    /// The value for `key`, inserted with `f` when missing.
    pub fn get_or_insert_with(&mut self, key: K, f: impl FnOnce() -> V) -> &mut V {
        let i = match self.find(&key) {
            Ok(i) => i,
            Err(i) => {
                self.entries.insert(i, (key, f()));
                i
            }
        };
        &mut self.entries[i].1
    }

    /// Inserts or replaces every entry, later ones winning over earlier ones
    /// with the same key: replacements in place, a few new keys inserted,
    /// many new keys sorted in at once.
    pub fn put_all(&mut self, items: impl IntoIterator<Item = (K, V)>) {
        let mut fresh: Vec<(K, V)> = Vec::new();
        for (k, v) in items {
            match self.find(&k) {
                Ok(i) => self.entries[i].1 = v,
                Err(_) => fresh.push((k, v)),
            }
        }
        if fresh.len() <= 16 {
            for (k, v) in fresh {
                self.insert(k, v);
            }
        } else {
            // Sort only the new ones (none has a key already here), then
            // merge the two sorted runs: linear in the map's size, where
            // sorting everything again cost ~1 ms for 100 new cells in a
            // 5,000-cell grid (in the browser).
            let fresh = sorted_unique(fresh);
            let old = std::mem::take(&mut self.entries);
            let mut out = Vec::with_capacity(old.len() + fresh.len());
            let mut a = old.into_iter().peekable();
            let mut b = fresh.into_iter().peekable();
            while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
                let next = if x.0 < y.0 { a.next() } else { b.next() };
                out.extend(next);
            }
            out.extend(a);
            out.extend(b);
            self.entries = out;
        }
    }

    /// Builds from entries already sorted by key and unique.
    pub(crate) fn from_sorted_unique(entries: Vec<(K, V)>) -> Self {
        debug_assert!(entries.windows(2).all(|w| w[0].0 < w[1].0));
        SortedMap { entries }
    }
}

/// Sorts by key and keeps the last entry of each key.
fn sorted_unique<K: Ord, V>(items: Vec<(K, V)>) -> Vec<(K, V)> {
    let cmp = |a: usize, b: usize| items[a].0.cmp(&items[b].0);
    let Some(order) = order_plan(items.len(), &cmp, true) else {
        return items;
    };
    permute(items, &order)
}

/// How to put `n` elements in key order (`cmp` compares two by position):
/// `None` when they are in order with no repeated key already, else the
/// positions in key order; with `last_wins`, of each repeated key only the
/// last one is kept.
pub(crate) fn order_plan(
    n: usize,
    cmp: &dyn Fn(usize, usize) -> Ordering,
    last_wins: bool,
) -> Option<Vec<usize>> {
    if (1..n).all(|i| cmp(i - 1, i) == Ordering::Less) {
        return None;
    }
    let order = sort_indices(n, &|a, b| cmp(a, b).then(a.cmp(&b)));
    if !last_wins {
        return Some(order);
    }
    let keep = (0..order.len())
        .filter(|&p| p + 1 == order.len() || cmp(order[p], order[p + 1]) != Ordering::Equal);
    Some(keep.map(|p| order[p]).collect())
}

/// The first element (in position order) whose key an earlier one has, in a
/// sorted plan from [`order_plan`] (without `last_wins`).
pub(crate) fn first_repeat(
    order: &[usize],
    cmp: &dyn Fn(usize, usize) -> Ordering,
) -> Option<usize> {
    order
        .windows(2)
        .filter(|w| cmp(w[0], w[1]) == Ordering::Equal)
        .map(|w| w[1])
        .min()
}

/// The positions `0..n` sorted by `cmp`, which must be a total order (break
/// ties by position for stability). One sort instantiation serves every
/// element type: sorting code is large in a wasm bundle.
pub(crate) fn sort_indices(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_unstable_by(|a, b| cmp(*a, *b));
    idx
}

/// `items` in the order of `order` (a permutation of their positions).
pub(crate) fn permute<T>(items: Vec<T>, order: &[usize]) -> Vec<T> {
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order
        .iter()
        .filter_map(|&i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        SortedMap {
            entries: sorted_unique(iter.into_iter().collect()),
        }
    }
}

impl<K: Ord, V> Extend<(K, V)> for SortedMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        self.put_all(iter)
    }
}

impl<K, V> IntoIterator for SortedMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;
    fn into_iter(self) -> Self::IntoIter {
        fn pair<K, V>((k, v): &(K, V)) -> (&K, &V) {
            (k, v)
        }
        self.entries
            .iter()
            .map(pair as fn(&'a (K, V)) -> (&'a K, &'a V))
    }
}

impl<'a, K, V> IntoIterator for &'a mut SortedMap<K, V> {
    type Item = (&'a K, &'a mut V);
    type IntoIter =
        std::iter::Map<std::slice::IterMut<'a, (K, V)>, fn(&'a mut (K, V)) -> (&'a K, &'a mut V)>;
    fn into_iter(self) -> Self::IntoIter {
        fn pair<K, V>((k, v): &mut (K, V)) -> (&K, &mut V) {
            (k, v)
        }
        self.entries
            .iter_mut()
            .map(pair as fn(&'a mut (K, V)) -> (&'a K, &'a mut V))
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for SortedMap<K, V> {
    fn from(a: [(K, V); N]) -> Self {
        a.into_iter().collect()
    }
}

/// Written as a map, like a `BTreeMap`.
impl<K: serde::Serialize, V: serde::Serialize> serde::Serialize for SortedMap<K, V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

/// Read as a map, like a `BTreeMap` (a repeated key keeps its last value).
impl<'de, K: Ord + serde::Deserialize<'de>, V: serde::Deserialize<'de>> serde::Deserialize<'de>
    for SortedMap<K, V>
{
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let m = std::collections::BTreeMap::<K, V>::deserialize(d)?;
        Ok(SortedMap {
            entries: m.into_iter().collect(),
        })
    }
}

/// The schema of a `BTreeMap` with the same key and value types: the two are
/// the same on the wire.
impl<K: schemars::JsonSchema, V: schemars::JsonSchema> schemars::JsonSchema for SortedMap<K, V> {
    fn inline_schema() -> bool {
        <std::collections::BTreeMap<K, V> as schemars::JsonSchema>::inline_schema()
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <std::collections::BTreeMap<K, V> as schemars::JsonSchema>::schema_name()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        <std::collections::BTreeMap<K, V> as schemars::JsonSchema>::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <std::collections::BTreeMap<K, V> as schemars::JsonSchema>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn behaves_like_a_btreemap() {
        let ops: Vec<(u8, i32)> = (0..200).map(|i| ((i * 37 % 23) as u8, i)).collect();
        let mut a = SortedMap::new();
        let mut b = BTreeMap::new();
        for (i, (k, v)) in ops.iter().enumerate() {
            if i % 5 == 4 {
                assert_eq!(a.remove(k), b.remove(k));
            } else {
                assert_eq!(a.insert(*k, *v), b.insert(*k, *v));
            }
            assert!(a.iter().eq(b.iter()));
        }
        let c: SortedMap<u8, i32> = ops.iter().copied().collect();
        let d: BTreeMap<u8, i32> = ops.iter().copied().collect();
        assert!(c.iter().eq(d.iter()));
        let mut e = c.clone();
        let mut f = d.clone();
        e.put_all(ops.iter().map(|(k, v)| (k.wrapping_mul(3), -v)));
        f.extend(ops.iter().map(|(k, v)| (k.wrapping_mul(3), -v)));
        assert!(e.iter().eq(f.iter()));
        // Many new keys at once (the merge path), repeated ones last-wins.
        let many: Vec<(u8, i32)> = (0..300).map(|i| ((i * 7 % 251) as u8, 1000 + i)).collect();
        e.put_all(many.iter().copied());
        f.extend(many.iter().copied());
        assert!(e.iter().eq(f.iter()));
        e.retain(|k, _| k % 2 == 0);
        f.retain(|k, _| k % 2 == 0);
        assert!(e.iter().eq(f.iter()));
        assert_eq!(format!("{e:?}"), format!("{f:?}"));
    }

    proptest::proptest! {
        /// `put_all` is `BTreeMap::extend`, whether it inserts one by one
        /// (few new keys) or merges (many).
        #[test]
        fn put_all_is_extend(
            base in proptest::collection::vec((0u16..300, 0i32..9), 0..120),
            items in proptest::collection::vec((0u16..300, 0i32..9), 0..120),
        ) {
            let mut a: SortedMap<u16, i32> = base.iter().copied().collect();
            let mut b: BTreeMap<u16, i32> = base.iter().copied().collect();
            a.put_all(items.iter().copied());
            b.extend(items.iter().copied());
            proptest::prop_assert!(a.iter().eq(b.iter()));
        }
    }
}
