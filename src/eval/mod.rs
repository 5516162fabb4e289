//! eval (work in progress)

pub mod clough;
pub mod extraction;
pub mod seeds;
pub mod semeval;
pub mod wikiref;
