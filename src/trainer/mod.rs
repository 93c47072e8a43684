//! The trainer: lessons, step checks that watch the simulation, challenges and progress, as
//! pure data and logic.
