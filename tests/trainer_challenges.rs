//! Every built-in challenge solved: its investigation typed into its broken world reveals the
//! fault, a wrong answer is refused with feedback, the right one accepted. The same
//! investigation on a healthy network must not reveal anything, or the challenge would be
//! answerable without the fault being there.

use smtp_trainer::scenario::World;
use smtp_trainer::trainer::{
    builtin, fault_info, parse_keys, pick_random, type_keys, Challenge, ChallengeRun, Progress,
};
use smtp_trainer::windows::Workstation;

/// Types the challenge's solution into `world`; returns the run and the screen.
fn investigate(challenge: &Challenge, world: World) -> (ChallengeRun, String) {
    let keys = challenge
        .solution
        .as_deref()
        .map(parse_keys)
        .unwrap_or_else(|| panic!("{} has no solution", challenge.id))
        .unwrap_or_else(|e| panic!("{}: {e}", challenge.id));
    let mut ws = Workstation::new(world, 11, 0);
    let mut run = ChallengeRun::new(challenge.clone(), 0);
    type_keys(&mut ws, &keys, 0, 150, |ws, _| {
        run.drive(ws);
    });
    (run, ws.console().text())
}

#[test]
fn there_are_at_least_twelve_challenges_covering_the_faults() {
    let all = builtin::challenges();
    assert!(all.len() >= 12, "{} challenges", all.len());
    let mut answers: Vec<&str> = all.iter().map(|c| c.answer.as_str()).collect();
    answers.sort_unstable();
    answers.dedup();
    assert!(answers.len() >= 12, "distinct faults: {answers:?}");
}

#[test]
fn every_challenge_is_solved_after_one_wrong_answer() {
    for c in builtin::challenges() {
        let (_, world) = builtin::challenge(&c.id).expect("challenge");
        let (mut run, screen) = investigate(c, world);
        assert!(
            run.revealed(),
            "{}: the investigation did not reveal the fault\n--- screen ---\n{screen}",
            c.id
        );
        let wrong = c
            .options
            .iter()
            .find(|o| **o != c.answer)
            .expect("a wrong option");
        let verdict = run.answer(wrong, 5_000);
        assert!(!verdict.correct, "{}", c.id);
        let sign = &fault_info(wrong).expect("known fault").sign;
        assert!(verdict.feedback.contains(sign.as_str()), "{}", c.id);
        assert!(!run.is_solved());
        let verdict = run.answer(&c.answer, 9_000);
        assert!(verdict.correct, "{}", c.id);
        assert_eq!(verdict.feedback, c.feedback);
        assert_eq!(
            (run.attempts(), run.elapsed(20_000)),
            (2, 9_000),
            "{}",
            c.id
        );

        let mut progress = Progress::default();
        progress.record_challenge(&c.id, false, 5_000, 0);
        progress.record_challenge(&c.id, true, 9_000, run.hints_used());
        assert!(progress.challenge_solved(&c.id));
    }
}

#[test]
fn every_reply_the_feedback_quotes_is_on_the_screen_of_its_investigation() {
    // Feedback that quotes a reply (`550 5.7.1 ...`) must quote what the learner saw, word for
    // word, not another server's wording of it.
    for c in builtin::challenges() {
        let (_, world) = builtin::challenge(&c.id).expect("challenge");
        let (_, screen) = investigate(c, world);
        let quoted = c.feedback.split('`').skip(1).step_by(2);
        for reply in
            quoted.filter(|q| q.len() > 4 && q.as_bytes()[..3].iter().all(u8::is_ascii_digit))
        {
            assert!(
                screen.contains(reply),
                "{}: the feedback quotes `{reply}`, the screen shows\n{screen}",
                c.id
            );
        }
    }
}

#[test]
fn no_investigation_reveals_anything_on_a_healthy_network() {
    for c in builtin::challenges() {
        let (run, screen) = investigate(c, World::default());
        assert!(
            !run.revealed(),
            "{}: revealed on a healthy network\n--- screen ---\n{screen}",
            c.id
        );
    }
}

#[test]
fn a_class_shares_a_challenge_through_its_seed() {
    let list: Vec<Challenge> = builtin::challenges().into_iter().cloned().collect();
    let first = pick_random(&list, 4711).map(|c| c.id.clone());
    for _ in 0..3 {
        assert_eq!(pick_random(&list, 4711).map(|c| c.id.clone()), first);
    }
    assert!(first.is_some());
}

/// A learner who types the short name, as the DNS suffix allows (`ping mail`, `nslookup mail`),
/// still reveals the DNS faults that hide mail.contoso.com, the resolver cache's included.
#[test]
fn the_short_name_reveals_the_dns_faults_too() {
    for (id, typed) in [
        ("dns-down", "ping mail\n"),
        ("dns-missing-records", "nslookup mail\n"),
        ("dns-missing-records", "ping -n 1 mail\nnslookup mail\n"),
        ("stale-dns-cache", "ping -n 1 mail\nnslookup mail\n"),
    ] {
        let (c, world) = builtin::challenge(id).expect("challenge");
        let mut short = c.clone();
        short.solution = Some(typed.to_string());
        let (run, screen) = investigate(&short, world);
        assert!(
            run.revealed(),
            "{id} not revealed by {typed:?}\n--- screen ---\n{screen}"
        );
    }
}

#[test]
fn the_right_answer_is_not_given_away_by_its_place() {
    // Every built-in file lists the right answer first or second; the picker must not.
    let all = builtin::challenges();
    let places: Vec<usize> = all
        .iter()
        .map(|c| {
            let labels = c.option_labels();
            let mut names: Vec<&str> = labels.iter().map(|(n, _)| n.as_str()).collect();
            names.sort_unstable();
            let mut want: Vec<&str> = c.options.iter().map(String::as_str).collect();
            want.sort_unstable();
            assert_eq!(names, want, "{}: every option offered once", c.id);
            assert_eq!(
                labels,
                c.option_labels(),
                "{}: the same order each time",
                c.id
            );
            labels
                .iter()
                .position(|(n, _)| *n == c.answer)
                .unwrap_or_else(|| panic!("{}: the answer is offered", c.id))
        })
        .collect();
    let distinct: std::collections::BTreeSet<usize> = places.iter().copied().collect();
    assert!(distinct.len() >= 4, "the right answer's places: {places:?}");
    let first = places.iter().filter(|&&p| p == 0).count();
    assert!(first * 3 <= places.len(), "first too often: {places:?}");
}

#[test]
fn the_stale_cache_story_is_no_older_than_the_cached_answer() {
    // Windows 7 keeps a negative answer 15 minutes, as the feedback says: a briefing that
    // dates the outage further back would rule out the right answer for a learner who knows
    // the negative TTL.
    let (c, _) = builtin::challenge("stale-dns-cache").expect("challenge");
    assert!(c.feedback.contains("after 15 minutes"), "{}", c.feedback);
    let briefing = c.briefing.to_lowercase();
    assert!(briefing.contains("a few minutes ago"), "{briefing}");
    for older in [
        "yesterday",
        "last night",
        "hours ago",
        "last week",
        "this morning",
    ] {
        assert!(!briefing.contains(older), "{briefing}");
    }
}

#[test]
fn another_honest_investigation_reveals_and_the_feedback_holds_for_it() {
    // (challenge, another way a learner tests, a part of the feedback it must not contradict)
    let big = "x".repeat(3000);
    let table = [
        (
            "closes-on-bad-ehlo",
            "telnet mail.contoso.com 25\nHELO sub2.\n".to_string(),
            "`HELO sub2.`",
        ),
        (
            // The whole message sent, not its size declared: refused after the `.`.
            "message-size-limit",
            format!(
                "telnet mail.contoso.com 25\nEHLO test.com\nMAIL FROM:a@test.com\n\
                 RCPT TO:john@contoso.com\nDATA\n{big}\n.\nQUIT\n"
            ),
            "ended with `.`",
        ),
        (
            "relay-refused",
            "telnet mail.contoso.com 25\nEHLO test.com\nMAIL FROM:a@test.com\nRCPT TO:john@contoso.com\n"
                .to_string(),
            "a contoso.com user",
        ),
    ];
    for (id, keys, says) in table {
        let (c, world) = builtin::challenge(id).expect("challenge");
        let keys = parse_keys(&keys).expect("keys");
        let mut ws = Workstation::new(world, 11, 0);
        let mut run = ChallengeRun::new(c.clone(), 0);
        type_keys(&mut ws, &keys, 0, 150, |ws, _| {
            run.drive(ws);
        });
        let screen = ws.console().text();
        assert!(run.revealed(), "{id}: not revealed\n{screen}");
        assert!(c.feedback.contains(says), "{id}: {}", c.feedback);
        let quoted = c.feedback.split('`').skip(1).step_by(2);
        for reply in
            quoted.filter(|q| q.len() > 4 && q.as_bytes()[..3].iter().all(u8::is_ascii_digit))
        {
            assert!(screen.contains(reply), "{id}: `{reply}` not on\n{screen}");
        }
    }
}
