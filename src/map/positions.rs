//! Positions: the groups the dispute map draws. Claims share a position only where the
//! author ties them — one supports the other, they share a claimant, or a position named
//! in `site.toml` lists both — and never when two of them are in dispute. Claims nothing
//! ties stand alone, so a dossier gets as many positions as its disputes have parties.

use crate::model::Dossier;

/// One group of the map: its name and its claims, in claim order.
pub struct Position {
    /// The name the author gave it, or `None` for one named by its claimants.
    pub named: Option<String>,
    pub claims: Vec<usize>,
}

/// Claims being joined into positions: a union of sets, each set's members kept at its
/// root, with the named position it is (if any).
struct Sets {
    parent: Vec<usize>,
    members: Vec<Vec<usize>>,
    named: Vec<Option<usize>>,
}

impl Sets {
    fn new(n: usize) -> Self {
        Sets {
            parent: (0..n).collect(),
            members: (0..n).map(|i| vec![i]).collect(),
            named: vec![None; n],
        }
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// Joins the sets of `a` and `b` unless a claim of one is in dispute with a claim of
    /// the other, or both are positions the author named (`force` joins in any case).
    fn join(&mut self, d: &Dossier, a: usize, b: usize, force: bool) {
        let (a, b) = (self.root(a), self.root(b));
        if a == b {
            return;
        }
        if !force {
            if self.named[a].is_some() && self.named[b].is_some() {
                return;
            }
            let (small, other) = if self.members[a].len() <= self.members[b].len() {
                (a, b)
            } else {
                (b, a)
            };
            let members = self.members[small].clone();
            for i in members {
                let c = &d.claims[i];
                for &j in c.disputes.iter().chain(&c.disputed_by) {
                    if self.root(j) == other {
                        return;
                    }
                }
            }
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

/// The positions of the claims that dispute or support another (`related`), in the order
/// of their earliest claims. `named` are the author's positions, as claim indices.
pub fn positions(d: &Dossier, related: &[bool], named: &[(String, Vec<usize>)]) -> Vec<Position> {
    let mut sets = Sets::new(d.claims.len());
    for (k, (_, claims)) in named.iter().enumerate() {
        for &i in claims {
            sets.join(d, claims[0], i, true);
        }
        if let Some(&first) = claims.first() {
            let r = sets.root(first);
            sets.named[r] = Some(k);
        }
    }
    // Ties in claim order, supports first, so that no file's order decides a join.
    let order: Vec<usize> = d
        .claims_by_date()
        .into_iter()
        .filter(|&i| related[i])
        .collect();
    for &i in &order {
        let mut supported = d.claims[i].supports.clone();
        d.sort_claims(&mut supported);
        for j in supported {
            sets.join(d, i, j, false);
        }
    }
    // For each actor, one earlier claim of each set its claims are in.
    let mut by_actor: Vec<Vec<usize>> = vec![Vec::new(); d.actors.len()];
    for &i in &order {
        for &a in &d.claims[i].claimants {
            let mut reps = std::mem::take(&mut by_actor[a]);
            for &earlier in &reps {
                sets.join(d, earlier, i, false);
            }
            reps.push(i);
            let mut roots = Vec::new();
            reps.retain(|&e| {
                let r = sets.root(e);
                let new = !roots.contains(&r);
                roots.push(r);
                new
            });
            by_actor[a] = reps;
        }
    }
    let mut out: Vec<Position> = Vec::new();
    let mut at = vec![usize::MAX; d.claims.len()];
    for &i in &order {
        let r = sets.root(i);
        if at[r] == usize::MAX {
            at[r] = out.len();
            out.push(Position {
                named: sets.named[r].map(|k| named[k].0.clone()),
                claims: Vec::new(),
            });
        }
        out[at[r]].claims.push(i);
    }
    out
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
