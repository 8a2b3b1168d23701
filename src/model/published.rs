//! The figures the state published about the Digitallotsen, with their dates and sources: the
//! progress chart marks them and the demo dataset reproduces them (docs/demo-data.md).

/// 19.02.2019, press conference "Digitalakademie@bw macht Kommunen fit für Digitalisierung":
/// 197 Digitallotsen trained since the start in November 2018.
pub const DATE_FEB_2019: &str = "2019-02-19";
pub const LOTSEN_FEB_2019: usize = 197;
/// May 2019, "2. Gesamtprojekttreffen": 228 Digitallotsen trained. The source names the month,
/// not the day, so the count holds on every day of it.
pub const MONTH_MAY_2019: (&str, &str) = ("2019-05-01", "2019-05-31");
pub const LOTSEN_MAY_2019: usize = 228;
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
/// April 2023, "Neue Koordinierungsstelle der Digitalakademie@bw": more than 770 Kommunen staff
/// trained. The source names the month, so the count holds on every day of it.
pub const MONTH_APRIL_2023: (&str, &str) = ("2023-04-01", "2023-04-30");
pub const LOTSEN_APRIL_2023_MORE_THAN: usize = 770;

/// A published Lotsen count as the progress chart marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LotsenMilestone {
    /// The day the mark stands on (mid-month where the source names only the month).
    pub date: &'static str,
    pub lotsen: usize,
    /// The German label of the mark.
    pub label: &'static str,
}

/// Every published Lotsen count, in time order.
pub const LOTSEN_MILESTONES: [LotsenMilestone; 5] = [
    LotsenMilestone {
        date: DATE_FEB_2019,
        lotsen: LOTSEN_FEB_2019,
        label: "197 Lotsen (19.02.2019)",
    },
    LotsenMilestone {
        date: "2019-05-15",
        lotsen: LOTSEN_MAY_2019,
        label: "228 Lotsen (Mai 2019)",
    },
    LotsenMilestone {
        date: DATE_2019,
        lotsen: LOTSEN_2019,
        label: "knapp 400 Lotsen (24.07.2019)",
    },
    LotsenMilestone {
        date: DATE_2021,
        lotsen: LOTSEN_2021,
        label: "über 560 Lotsen (30.06.2021)",
    },
    LotsenMilestone {
        date: "2023-04-15",
        lotsen: LOTSEN_APRIL_2023_MORE_THAN,
        label: "über 770 Lotsen (April 2023)",
    },
];
