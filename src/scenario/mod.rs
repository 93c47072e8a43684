//! Scenario files: the serde types of worlds (workstation, hosts, faults), lessons and
//! challenges, with loading and checking. Instructors write these; the built-in ones use the
//! same format.
