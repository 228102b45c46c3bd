//! Positions: the groups the dispute map draws. Claims share a position only where the
//! author ties them — one supports the other, they share a claimant, or a position named
//! in `site.toml` lists both — and never when two of them are in dispute. Claims nothing
//! ties stand alone, so a dossier gets as many positions as its disputes have parties.

use rustc_hash::FxHashMap;

use crate::resolve::model::Dossier;

/// One group of the map: its name and its claims, in claim order.
pub(crate) struct Position {
    /// The name the author gave it, or `None` for one named by its claimants.
    pub named: Option<String>,
    pub claims: Vec<usize>,
}

/// Claims being joined into positions: a union of sets over the claims considered (by
/// their place in `order`), each set's members kept at its root, with the named position
/// it is (if any).
struct Sets<'a> {
    d: &'a Dossier,
    /// Claim index → place in the claims considered.
    local: FxHashMap<usize, usize>,
    parent: Vec<usize>,
    members: Vec<Vec<usize>>,
    named: Vec<Option<usize>>,
}

impl<'a> Sets<'a> {
    fn new(d: &'a Dossier, order: &[usize]) -> Self {
        let n = order.len();
        Sets {
            d,
            local: order.iter().enumerate().map(|(k, &i)| (i, k)).collect(),
            parent: (0..n).collect(),
            members: order.iter().map(|&i| vec![i]).collect(),
            named: vec![None; n],
        }
    }

    /// The root of a considered claim's set, or `None` for a claim not considered.
    fn root_of(&mut self, claim: usize) -> Option<usize> {
        let k = *self.local.get(&claim)?;
        Some(self.root(k))
    }

    fn root(&mut self, mut k: usize) -> usize {
        while self.parent[k] != k {
            self.parent[k] = self.parent[self.parent[k]];
            k = self.parent[k];
        }
        k
    }

    /// Whether a claim of set `a` is in dispute with a claim of set `b`.
    fn in_dispute(&mut self, a: usize, b: usize) -> bool {
        let (small, other) = if self.members[a].len() <= self.members[b].len() {
            (a, b)
        } else {
            (b, a)
        };
        let d = self.d;
        let members = std::mem::take(&mut self.members[small]);
        let found = members.iter().any(|&i| {
            let c = &d.claims[i];
            c.disputes
                .iter()
                .chain(&c.disputed_by)
                .any(|&j| self.root_of(j) == Some(other))
        });
        self.members[small] = members;
        found
    }

    /// Joins the sets of claims `a` and `b` unless either is not considered, a claim of
    /// one is in dispute with a claim of the other, or both are positions the author
    /// named (`force` joins in any case).
    fn join(&mut self, a: usize, b: usize, force: bool) {
        let (Some(a), Some(b)) = (self.root_of(a), self.root_of(b)) else {
            return;
        };
        if a == b {
            return;
        }
        if !force && ((self.named[a].is_some() && self.named[b].is_some()) || self.in_dispute(a, b))
        {
            return;
        }
        let (keep, gone) = if self.members[a].len() >= self.members[b].len() {
            (a, b)
        } else {
            (b, a)
        };
        self.parent[gone] = keep;
        let moved = std::mem::take(&mut self.members[gone]);
        self.members[keep].extend(moved);
        self.named[keep] = self.named[keep].or(self.named[gone]);
    }
}

/// The positions of the given claims, in the order of their earliest claims; ties to
/// claims not given are not followed. `named` are the author's positions, as claim
/// indices.
pub fn positions(d: &Dossier, claims: &[usize], named: &[(String, Vec<usize>)]) -> Vec<Position> {
    let mut order = claims.to_vec();
    d.sort_claims(&mut order);
    order.dedup();
    let mut sets = Sets::new(d, &order);
    for (k, (_, listed)) in named.iter().enumerate() {
        let given: Vec<usize> = listed
            .iter()
            .copied()
            .filter(|i| sets.local.contains_key(i))
            .collect();
        for &i in &given {
            sets.join(given[0], i, true);
        }
        if let Some(r) = given.first().and_then(|&i| sets.root_of(i)) {
            sets.named[r] = Some(k);
        }
    }
    // Ties in claim order, supports first, so that no file's order decides a join.
    for &i in &order {
        let mut supported = d.claims[i].supports.clone();
        d.sort_claims(&mut supported);
        for j in supported {
            sets.join(i, j, false);
        }
    }
    // For each actor, one earlier claim of each set its claims are in.
    let mut by_actor: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for &i in &order {
        for &a in &d.claims[i].claimants {
            let mut reps = by_actor.remove(&a).unwrap_or_default();
            for &earlier in &reps {
                sets.join(earlier, i, false);
            }
            reps.push(i);
            let mut roots = Vec::new();
            reps.retain(|&e| {
                let r = sets.root_of(e);
                let new = !roots.contains(&r);
                roots.push(r);
                new
            });
            by_actor.insert(a, reps);
        }
    }
    let mut out: Vec<Position> = Vec::new();
    let mut at: FxHashMap<usize, usize> = FxHashMap::default();
    for (k, &i) in order.iter().enumerate() {
        let r = sets.root(k);
        let p = *at.entry(r).or_insert_with(|| {
            out.push(Position {
                named: sets.named[r].map(|n| named[n].0.clone()),
                claims: Vec::new(),
            });
            out.len() - 1
        });
        out[p].claims.push(i);
    }
    out
}

/// The disputes among positions: each a set of positions (by index, in order) that
/// disputes and supports connect, and among which at least one claim disputes another;
/// in the order of their earliest position.
pub fn disputes(d: &Dossier, positions: &[Position]) -> Vec<Vec<usize>> {
    let mut of: FxHashMap<usize, usize> = FxHashMap::default();
    for (p, pos) in positions.iter().enumerate() {
        of.extend(pos.claims.iter().map(|&i| (i, p)));
    }
    let mut parent: Vec<usize> = (0..positions.len()).collect();
    fn root(parent: &mut [usize], mut p: usize) -> usize {
        while parent[p] != p {
            parent[p] = parent[parent[p]];
            p = parent[p];
        }
        p
    }
    let mut disputed = vec![false; positions.len()];
    for (p, pos) in positions.iter().enumerate() {
        for &i in &pos.claims {
            let c = &d.claims[i];
            for (list, dispute) in [(&c.disputes, true), (&c.supports, false)] {
                for j in list {
                    let Some(&q) = of.get(j) else { continue };
                    let (a, b) = (root(&mut parent, p), root(&mut parent, q));
                    parent[a.max(b)] = a.min(b);
                    disputed[p] |= dispute;
                }
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut at: FxHashMap<usize, usize> = FxHashMap::default();
    for p in 0..positions.len() {
        let r = root(&mut parent, p);
        let g = *at.entry(r).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(p);
    }
    groups.retain(|g| g.iter().any(|&p| disputed[p]));
    groups
}

/// A position's claimants, in the order of their first claim in it.
pub fn claimants(d: &Dossier, position: &Position) -> Vec<usize> {
    let mut seen = Vec::new();
    for &i in &position.claims {
        for &a in &d.claims[i].claimants {
            if !seen.contains(&a) {
                seen.push(a);
            }
        }
    }
    seen
}
