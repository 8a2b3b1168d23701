//! The figures the state published about the Digitallotsen, with their dates: the progress chart
//! marks them and the demo dataset reproduces them exactly.

/// By 24.07.2019 "knapp 400" Lotsen qualified, 23 of 35 Landkreise had used the programme.
pub const DATE_2019: &str = "2019-07-24";
pub const LOTSEN_2019: usize = 396;
pub const LANDKREISE_2019: usize = 23;
/// At 30.06.2021: 563 Lotsen in 326 Kommunen and 30 Landkreisen; 128 of them took
/// Aufbauschulungen, from 47 Kommunen and 13 Landkreisen.
pub const DATE_2021: &str = "2021-06-30";
pub const LOTSEN_2021: usize = 563;
pub const KOMMUNEN_2021: usize = 326;
pub const LANDKREISE_2021: usize = 30;
pub const AUFBAU_LOTSEN_2021: usize = 128;
pub const AUFBAU_KOMMUNEN_2021: usize = 47;
pub const AUFBAU_LANDKREISE_2021: usize = 13;
