//! eval (work in progress)

pub mod extraction;
pub mod semeval;
pub mod clough;
pub mod seeds;
pub mod wikiref;
