use super::*;

fn trees() -> (sled::Tree, sled::Tree) {
    let db = sled::Config::new().temporary(true).open().unwrap();
    (
        db.open_tree("segments").unwrap(),
        db.open_tree("meta").unwrap(),
    )
}

fn ids(candidates: &[Candidate]) -> Vec<ArticleId> {
    candidates.iter().map(|c| c.article).collect()
}

#[test]
fn the_window_bounds_the_days_searched() {
    let (tree, meta) = trees();
    let mut index = CandidateIndex::open(tree, meta, 8).unwrap();
    let keys: Vec<u64> = (1..=8).collect();
    index.add(1, 100, &keys).unwrap();
    index.add(2, 106, &keys).unwrap();
    index.add(3, 108, &keys).unwrap();
    let found = index.candidates(101, 5, &keys, 10).unwrap();
    assert_eq!(ids(&found), vec![2, 1]);
}

#[test]
fn committed_postings_come_back_after_eviction_and_reopen() {
    let (tree, meta) = trees();
    let keys: Vec<u64> = (1..=8).collect();
    let other: Vec<u64> = vec![1, 2, 3, 4, 5, 60, 70, 80];
    {
        let mut index = CandidateIndex::open(tree.clone(), meta.clone(), 1).unwrap();
        index.add(1, -3, &keys).unwrap();
        index.add(2, -3, &other).unwrap();
        index.add(3, 400, &keys).unwrap();
        index.commit().unwrap();
        assert_eq!(index.days.len(), 1, "evicted down to one day");
        let found = index.candidates(-3, 7, &keys, 10).unwrap();
        assert_eq!(
            ids(&found),
            vec![1, 2],
            "reloaded; more shared keys rank first"
        );
    }
    let mut index = CandidateIndex::open(tree, meta, 4).unwrap();
    assert_eq!(index.indexed_through(), 3);
    assert_eq!(ids(&index.candidates(400, 7, &keys, 10).unwrap()), vec![3]);
    assert_eq!(
        ids(&index.candidates(-3, 0, &other, 10).unwrap()),
        vec![2, 1]
    );
}

#[test]
fn common_keys_are_skipped() {
    let (tree, meta) = trees();
    let mut index = CandidateIndex::open(tree, meta, 8).unwrap();
    for article in 1..=u64::from(MAX_KEY_DOCS) + 1 {
        index.add(article, 0, &[7]).unwrap();
    }
    assert!(index.candidates(0, 1, &[7], 10).unwrap().is_empty());
}

#[test]
fn weak_candidates_are_few_and_strong_ones_come_first() {
    let (tree, meta) = trees();
    let mut index = CandidateIndex::open(tree, meta, 8).unwrap();
    let query: Vec<u64> = (1..=40).collect();
    for article in 1..=10 {
        index.add(article, 0, &[1, 2, 1000 + article]).unwrap();
    }
    index.add(11, 0, &[10, 11, 12, 13, 14, 15]).unwrap();
    let found = index.candidates(0, 1, &query, 10).unwrap();
    assert_eq!(found[0].article, 11);
    assert_eq!(found.len(), 1 + TOP_WEAK_CANDIDATES);
}

#[test]
fn negative_days_sort_before_positive_ones() {
    assert!(day_prefix(-1) < day_prefix(0));
    assert!(day_prefix(i32::MIN) < day_prefix(-1));
    assert!(day_prefix(0) < day_prefix(1));
    assert_eq!(day_of(DateTime::from_timestamp(-1, 0).unwrap()), -1);
}
