use super::*;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2026-01-01 0:00 UTC); // 1_767_225_600

#[test]
fn windows_past_year_9999_saturate_to_never() {
    use time::{Duration, PrimitiveDateTime, UtcOffset};
    let end = datetime!(9999-12-31 23:59:59 UTC);
    let start = datetime!(0000-01-01 0:00 UTC);
    let west = PrimitiveDateTime::MAX.assume_offset(UtcOffset::from_hms(-23, -59, -59).unwrap());
    for s in [end, west, NOW, start] {
        for life in [Duration::MAX, Duration::days(365_000), Duration::days(90)] {
            let u = Until::after(s, life, NOW);
            assert!(u.is_usable() || s < NOW, "{s} + {life}: {u:?}");
        }
        let u = Until::after(s, Duration::MIN, NOW);
        assert!(!u.is_usable(), "{s} - max: {u:?}");
    }
    assert_eq!(Until::after(end, Duration::days(90), NOW), Until::Never);
    assert_eq!(
        Until::after(NOW, Duration::hours(1), NOW),
        Until::At {
            at: datetime!(2026-01-01 1:00 UTC)
        }
    );
    assert_eq!(Until::start_before(start, Duration::minutes(90)), None);
    assert_eq!(Until::start_before(end, Duration::MAX), None);
    assert_eq!(
        Until::start_before(NOW, Duration::minutes(90)),
        Some(datetime!(2025-12-31 22:30 UTC))
    );
}

#[test]
fn latest_orders_never_unknown_dates() {
    let a = Until::At {
        at: NOW + time::Duration::hours(1),
    };
    let b = Until::At {
        at: NOW + time::Duration::hours(2),
    };
    assert_eq!(Until::latest([a, b]), b);
    assert_eq!(
        Until::latest([a, Until::Unknown { at_least: None }]),
        Until::Unknown {
            at_least: Some(NOW + time::Duration::hours(1))
        }
    );
    assert_eq!(Until::latest([a, Until::Never]), Until::Never);
    assert_eq!(
        Until::latest([Until::Expired { at: NOW }, Until::NotUsable]),
        Until::Expired { at: NOW }
    );
    assert_eq!(Until::latest([]), Until::NotUsable);
    assert_eq!(Until::at(NOW, NOW), Until::Expired { at: NOW });
}
