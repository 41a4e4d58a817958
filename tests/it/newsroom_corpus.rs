//! A newsroom corpus shaped like the real one the contract (version 2) was
//! measured on: English originals with Ukrainian translations sharing their
//! ids, multi-word tags and pair tickers, the pipeline's `expandedAt` a
//! millisecond after `updatedAt` — and, among them, the defects that matter:
//! an orphan translation, a story imported twice under an edited headline,
//! a mangled tag, an untranslated body, a story imported twice under the
//! same id (and translated twice). Exactly those must be reported.

use std::collections::BTreeSet;

use crate::support::{copydesk, replace, seed, tempdir, write, NOW};

const SEED_TITLE: &str =
    "title: CoreWeave shows how crypto-era infrastructure quietly became AI’s backbone";
const SEED_ID: &str = "externalId: '57619983'";
const SEED_TAGS: &str = "tags:\n  - MINING\n";
const SEED_PUBLISHED: &str = "publishedAt: '2026-01-31T18:04:41.000Z'";
const SEED_AI: &str = "ai:\n  rewritten: true\n";

const UK_BODY: &str = "## Огляд\n\nРинок дата-центрів переживає значну трансформацію, оскільки колишні криптовалютні майнери переорієнтовуються на надання обчислювальних ресурсів для штучного інтелекту. Цей зсув показує, як інфраструктура, спочатку побудована для майнінгу, стає невід'ємною частиною роботи ШІ.\n\n## Що це означає для ринку\n\nКомпанії, які раніше зосереджувалися на видобутку криптовалют, тепер використовують наявну інфраструктуру, щоб задовольнити зростаючий попит на обчислення для ШІ.\n";

/// An English original with its own id, headline, tags and time.
fn original(id: &str, title: &str, tags: &str, published: &str) -> String {
    let text = replace(&seed(), SEED_ID, &format!("externalId: '{id}'"));
    let text = replace(&text, SEED_TITLE, &format!("title: {title}"));
    let text = replace(&text, SEED_TAGS, &format!("tags:\n{tags}"));
    replace(
        &text,
        SEED_PUBLISHED,
        &format!("publishedAt: '{published}'"),
    )
}

/// The Ukrainian translation of `english`: same id, time, source and cover,
/// its own headline and body, and `ai.translatedFrom`.
fn translation(english: &str, id: &str, title: &str, body: &str) -> String {
    let fm = english
        .strip_prefix("---\n")
        .and_then(|t| t.split_once("\n---\n"))
        .map(|(fm, _)| fm)
        .expect("front matter");
    let fm = fm.replace("lang: en", "lang: uk");
    let fm = replace(
        &fm,
        SEED_AI,
        &format!("{SEED_AI}  translatedFrom: '{id}'\n"),
    );
    let old_title = fm
        .lines()
        .find(|l| l.starts_with("title: "))
        .expect("a title")
        .to_owned();
    let fm = replace(&fm, &old_title, &format!("title: {title}"));
    format!("---\n{fm}\n---\n{body}")
}

#[test]
fn only_the_real_defects_of_a_translated_corpus_are_reported() {
    let dir = tempdir();
    let root = dir.path();
    let pairs = [
        (
            "60000001",
            "Bitcoin miners pivot to AI compute as hashprice falls",
            "Майнери біткоїна переходять на обчислення для ШІ",
            "  - BITCOIN NEWS\n  - MINING\n",
            "2026-01-30T08:00:00.000Z",
        ),
        (
            "60000002",
            "Shiba Inu burn rate jumps as whales accumulate",
            "Швидкість спалювання Shiba Inu зростає",
            "  - SHIBA INU\n  - DOGE-BTC\n",
            "2026-01-30T09:15:00.000Z",
        ),
        (
            "60000003",
            "Nigel Farage backs a UK bitcoin reserve",
            "Найджел Фарадж підтримав біткоїн-резерв Британії",
            "  - NIGEL FARAGE\n  - REGULATION\n",
            "2026-01-30T10:30:00.000Z",
        ),
    ];
    for (id, en_title, uk_title, tags, published) in pairs {
        let en = original(id, en_title, tags, published);
        let slug = format!("news/{id}");
        write(root, &format!("{slug}.en.md"), &en);
        write(
            root,
            &format!("{slug}.uk.md"),
            &translation(&en, id, uk_title, UK_BODY),
        );
    }
    // The pipeline writes expandedAt a millisecond after updatedAt: fine.
    let late = replace(
        &original(
            "60000004",
            "Ethereum devs set a date for the next upgrade",
            "  - ETHEREUM\n",
            "2026-01-30T11:00:00.000Z",
        ),
        "expandedAt: '2026-01-31T18:29:36.979Z'",
        "expandedAt: '2026-01-31T18:29:36.980Z'",
    );
    write(root, "news/60000004.en.md", &late);

    // Defects.
    let orphan_original = original(
        "60000099",
        "Solana validators vote on fee changes",
        "  - SOLANA\n",
        "2026-01-30T12:00:00.000Z",
    );
    write(
        root,
        "news/solana-fees.uk.md",
        &translation(
            &orphan_original,
            "60000099",
            "Валідатори Solana голосують",
            UK_BODY,
        ),
    );
    write(
        root,
        "news/grayscale-investments-ipo.en.md",
        &original(
            "60000010",
            "Asset manager Grayscale Investments files for US IPO",
            "  - GRAYSCALE\n  - IPO\n",
            "2026-01-30T14:00:00.000Z",
        ),
    );
    write(
        root,
        "news/grayscale-ipo.en.md",
        &original(
            "60000011",
            "Asset manager Grayscale files for US IPO",
            "  - GRAYSCALE\n  - IPO\n",
            "2026-01-30T14:02:00.000Z",
        ),
    );
    write(
        root,
        "news/digital-assets.en.md",
        &original(
            "60000012",
            "Banks warm to tokenised deposits",
            "  - -DIGITAL-ASSETS\n  - BANKING\n",
            "2026-01-30T15:00:00.000Z",
        ),
    );
    let untranslated = original(
        "60000013",
        "Stablecoin supply hits a record",
        "  - STABLECOINS\n",
        "2026-01-30T16:00:00.000Z",
    );
    write(root, "news/60000013.en.md", &untranslated);
    let body = seed()
        .split_once("\n---\n")
        .map(|(_, b)| b.to_owned())
        .expect("a body");
    write(
        root,
        "news/60000013.uk.md",
        &translation(
            &untranslated,
            "60000013",
            "Пропозиція стейблкоїнів б'є рекорд",
            &body,
        ),
    );

    // The same story imported twice under two slugs, each copy translated:
    // two English and two Ukrainian copies of one id.
    let twice = original(
        "60000020",
        "Tether mints another billion USDT",
        "  - TETHER\n  - STABLECOINS\n",
        "2026-01-30T17:00:00.000Z",
    );
    for slug in ["news/tether-mints", "news/tether-mints-usdt"] {
        write(root, &format!("{slug}.en.md"), &twice);
        write(
            root,
            &format!("{slug}.uk.md"),
            &translation(
                &twice,
                "60000020",
                "Tether випустив ще мільярд USDT",
                UK_BODY,
            ),
        );
    }

    let run = copydesk(root, &["check", "--format", "json", "--now", NOW]);
    let findings: Vec<serde_json::Value> =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{}", run.both()));
    let got: BTreeSet<(String, String)> = findings
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or_default().to_owned(),
                f["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let want: BTreeSet<(String, String)> = [
        ("news/solana-fees.uk.md", "corpus/orphan-translation"),
        (
            "news/grayscale-investments-ipo.en.md",
            "corpus/duplicate-story",
        ),
        ("news/grayscale-ipo.en.md", "corpus/duplicate-story"),
        ("news/digital-assets.en.md", "editorial/mangled-tag"),
        ("news/60000013.uk.md", "body/language-mismatch"),
        ("news/tether-mints.en.md", "corpus/duplicate-external-id"),
        (
            "news/tether-mints-usdt.en.md",
            "corpus/duplicate-external-id",
        ),
        ("news/tether-mints.uk.md", "corpus/duplicate-external-id"),
        (
            "news/tether-mints-usdt.uk.md",
            "corpus/duplicate-external-id",
        ),
        ("news/tether-mints.en.md", "corpus/duplicate-title"),
        ("news/tether-mints-usdt.en.md", "corpus/duplicate-title"),
        ("news/tether-mints.uk.md", "corpus/duplicate-title"),
        ("news/tether-mints-usdt.uk.md", "corpus/duplicate-title"),
    ]
    .iter()
    .map(|(p, c)| ((*p).to_owned(), (*c).to_owned()))
    .collect();
    assert_eq!(got, want, "{}", run.both());
    assert_eq!(findings.len(), want.len(), "{}", run.both());
    // Each finding reads as what it is.
    let message = |code: &str| {
        findings
            .iter()
            .find(|f| f["code"] == code)
            .and_then(|f| f["message"].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(message("corpus/duplicate-story").contains("imported twice"));
    assert!(message("editorial/mangled-tag").contains("mangled on import"));
    assert!(message("corpus/orphan-translation").contains("no article has that `externalId`"));
    // No translation pair is called a duplicate: only the copies are.
    let duplicate_ids = findings
        .iter()
        .filter(|f| f["code"] == "corpus/duplicate-external-id")
        .count();
    assert_eq!(duplicate_ids, 4, "{}", run.both());
    assert_eq!(run.code, 1, "{}", run.both());
}
