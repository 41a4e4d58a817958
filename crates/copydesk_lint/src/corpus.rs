//! The compact per-file facts cross-file rules need.
//!
//! Cross-file rules never look at whole documents: each file contributes
//! one [`IndexEntry`] (its id, source key and title with their spans), so
//! the corpus pass is a few hash-map lookups per file.

use std::any::Any;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::sync::Arc;

use crate::fields::Field;
use crate::rule::FileContext;
use crate::settings::Settings;
use crate::source::SourceFile;

/// A string value and where it is in its file.
///
/// Kept small (a 100k-article corpus holds two per file): the span is
/// stored as `u32` offsets, files being far below 4 GiB (`file/too-large`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SpannedValue {
    /// The value.
    pub value: Box<str>,
    start: u32,
    end: u32,
    /// The 1-based line of the span's start, so messages can name it
    /// without the file's text.
    pub line: u32,
}

impl SpannedValue {
    /// A value at `span`, starting on 1-based `line`.
    pub fn new(value: &str, span: Range<usize>, line: usize) -> Self {
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        SpannedValue {
            value: value.into(),
            start: narrow(span.start),
            end: narrow(span.end),
            line: narrow(line),
        }
    }

    /// Its byte span in the file.
    pub fn span(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// The facts of one file that cross-file rules compare: small values with
/// their spans, extracted once per file (and stored as they are in the
/// result cache).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Facts {
    /// The id (`[fields] id`, by default `externalId`), when it is a string.
    pub external_id: Option<SpannedValue>,
    /// `source.key`, when it is a string.
    pub source_key: Option<Box<str>>,
    /// The values of the configured id scope (`[fields] id-scope`, by default `source.key` and `lang`), joined by NUL; `None` when one
    /// of them is not a string (such a file is not compared).
    pub scope: Option<Box<str>>,
    /// The title (`[fields] title`), when it is a string.
    pub title: Option<SpannedValue>,
    /// What headlines are grouped by: the hash of the normalised title
    /// (`duplicate_title::hash_normalized`), when it has words. Taken
    /// once per file, with the other facts (and cached with them), not
    /// for 100k titles by each cross-file rule of every run.
    pub title_key: Option<u64>,
    /// The title's significant words, when there are enough of them for
    /// `corpus/duplicate-story` to compare: taken once per file and
    /// cached, like `title_key`.
    pub title_words: Option<crate::rules::corpus::duplicate_story::Words>,
    /// The language (`[fields] lang`), when it is a string.
    pub lang: Option<SpannedValue>,
    /// The publication date (`[fields] published`), when it is a string
    /// (a TOML datetime is one too).
    pub published_at: Option<SpannedValue>,
    /// `published_at` as seconds since the epoch, when it is a date:
    /// read once per file (and cached), like `title_key`.
    pub published_seconds: Option<i64>,
    /// The translation link (`[fields] translation`, by default
    /// `ai.translatedFrom`), when it is a string: the original's id.
    pub translated_from: Option<SpannedValue>,
    /// The Unsplash photo id of `coverImage.raw` (`photo-<id>`), when there
    /// is one, with the span of the whole URL.
    pub cover_photo: Option<SpannedValue>,
}

/// What one file contributes to the corpus index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    /// The file's display path.
    pub path: Arc<str>,
    /// The file's text, when it is kept in memory. A large run drops it
    /// ([`IndexEntry::shed_text`]) and [`CorpusIndex::source`] reads the
    /// file again only for the few entries a cross-file finding names.
    pub source: Option<Arc<SourceFile>>,
    /// Path relative to the configuration root, for per-path rule levels.
    pub config_path: Arc<str>,
    /// What cross-file rules compare.
    pub facts: Arc<Facts>,
    /// Whether this file's findings are reported (false for files read only
    /// so that cross-file rules see the whole corpus).
    pub reported: bool,
}

impl IndexEntry {
    /// Extracts the entry from a linted file's context.
    pub fn from_context(ctx: &FileContext<'_>) -> Option<Self> {
        Some(Self::from_root(
            ctx.settings,
            ctx.source,
            ctx.config_path,
            ctx.root()?,
        ))
    }

    /// The entry of a file that is only context for cross-file rules (not
    /// reported): the front matter is split and parsed, but neither
    /// validated nor linted, which is most of the cost of a file. Yields
    /// the same entry [`crate::lint_bytes`] would, marked not `reported`.
    pub fn from_bytes(
        settings: &Settings,
        path: &str,
        config_path: &str,
        bytes: Vec<u8>,
    ) -> Option<Self> {
        if bytes.contains(&0) {
            return None;
        }
        let text = String::from_utf8(bytes).ok()?;
        let fm = copydesk_schema::frontmatter::split(&text).ok()?;
        let outcome = copydesk_schema::frontmatter::parse(&text, &fm, &settings.limits);
        let root = outcome.root.filter(|r| r.as_mapping().is_some())?;
        let source = Arc::new(SourceFile::new(path, text));
        let mut entry = Self::from_root(settings, &source, config_path, &root);
        entry.reported = false;
        entry.source = None;
        Some(entry)
    }

    fn from_root(
        settings: &Settings,
        source: &Arc<SourceFile>,
        config_path: &str,
        root: &copydesk_schema::Node,
    ) -> Self {
        let path: Arc<str> = source.path.as_str().into();
        IndexEntry {
            path: Arc::clone(&path),
            source: Some(Arc::clone(source)),
            config_path: if config_path == &*path {
                path
            } else {
                config_path.into()
            },
            facts: Arc::new(Facts::of(settings, &source.text, root)),
            reported: true,
        }
    }
}

impl Facts {
    /// The facts of a parsed front-matter `root` in `text`.
    pub fn of(settings: &Settings, text: &str, root: &copydesk_schema::Node) -> Self {
        // Counted directly: building the file's line table for a few lines
        // near its top costs more. The fields mostly come in file order, so
        // each count goes on from the last one when it is further down.
        let counted = std::cell::Cell::new((0usize, 1usize));
        let at = |node: &copydesk_schema::Node, value: &str| {
            let start = node.span.start;
            if text.get(..start).is_none() {
                return SpannedValue::new(value, node.span.clone(), 1);
            }
            let (from, mut line) = match counted.get() {
                (pos, line) if pos <= start => (pos, line),
                _ => (0, 1),
            };
            let between = text.as_bytes().get(from..start).unwrap_or_default();
            line += between.iter().filter(|&&b| b == b'\n').count();
            counted.set((start, line));
            SpannedValue::new(value, node.span.clone(), line)
        };
        let spanned = |field: Field| {
            let node = root.pointer(settings.field(field)?.iter())?;
            Some(at(node, node.as_str()?))
        };
        let string = |path: &[&str]| {
            root.pointer(path.iter().copied())
                .and_then(|n| n.as_str())
                .map(Box::from)
        };
        let mut scope = String::new();
        let mut complete = true;
        for (i, key_path) in settings.duplicate_scope().iter().enumerate() {
            match root
                .pointer(key_path.iter().map(String::as_str))
                .and_then(|n| n.as_str())
            {
                Some(v) => {
                    if i > 0 {
                        scope.push('\0');
                    }
                    scope.push_str(v);
                }
                None => complete = false,
            }
        }
        let title = spanned(Field::Title);
        let published_at = spanned(Field::Published);
        Facts {
            external_id: spanned(Field::Id),
            source_key: string(&["source", "key"]),
            scope: complete.then(|| scope.into_boxed_str()),
            title_key: title
                .as_ref()
                .and_then(|t| crate::rules::corpus::duplicate_title::hash_normalized(&t.value)),
            title_words: title
                .as_ref()
                .and_then(|t| crate::rules::corpus::duplicate_story::Words::compared(&t.value)),
            title,
            lang: spanned(Field::Lang),
            published_seconds: published_at.as_ref().and_then(|p| {
                crate::rules::date::value::instant(settings, &p.value).map(|t| t.as_second())
            }),
            published_at,
            translated_from: spanned(Field::Translation),
            // Only the built-in cover is one Unsplash photo with an id.
            cover_photo: crate::rules::image::unsplash_shape(settings)
                .then(|| root.pointer(["coverImage", "raw"]))
                .flatten()
                .and_then(|node| {
                    let id = photo_id(node.as_str()?)?;
                    Some(at(node, id))
                }),
        }
    }
}

impl Facts {
    /// Whether two files' facts have the same values, wherever they are in
    /// their files: what decides whether other files' cross-file findings
    /// can change.
    pub fn same_values(&self, other: &Facts) -> bool {
        fn v(s: &Option<SpannedValue>) -> Option<&str> {
            s.as_ref().map(|s| &*s.value)
        }
        fn f(x: &Facts) -> impl PartialEq + '_ {
            (
                (
                    v(&x.external_id),
                    x.source_key.as_deref(),
                    x.scope.as_deref(),
                ),
                (v(&x.title), v(&x.lang), v(&x.published_at)),
                (v(&x.translated_from), v(&x.cover_photo)),
            )
        }
        f(self) == f(other)
    }
}

/// The Unsplash photo id a URL as written names: what follows `photo-` in
/// the last path segment that starts with it (as `image/photo-id-mismatch`
/// reads it), without parsing the URL, which the image rules do.
pub fn photo_id(url: &str) -> Option<&str> {
    let path = url.split(['?', '#']).next()?;
    path.split('/')
        .filter_map(|s| s.strip_prefix("photo-"))
        .rfind(|id| !id.is_empty())
}

impl IndexEntry {
    /// Drops the file's text, keeping only the facts cross-file rules need.
    pub fn shed_text(&mut self) {
        self.source = None;
    }
}

/// Reads a file's text again by its display path, for entries whose text
/// was dropped.
pub type SourceLoader = dyn Fn(&str) -> Option<Arc<SourceFile>> + Send + Sync;

/// Every file's entry, sorted by path so that cross-file output does not
/// depend on thread scheduling.
#[derive(Default)]
pub struct CorpusIndex {
    /// The entries, sorted by path.
    pub entries: Vec<IndexEntry>,
    loader: Option<Box<SourceLoader>>,
    /// Texts read back through `loader`, by entry position: a file named
    /// by many findings (its own and others' related spans) is read once
    /// and shared, not read and copied for each of them.
    loaded: Vec<std::sync::OnceLock<Arc<SourceFile>>>,
    /// Which files' cross-file findings the current pass builds.
    pass: Pass,
    /// Per entry position, the findings rules asked for in the counting
    /// pass (empty before one).
    wanted: Vec<std::sync::atomic::AtomicU32>,
    /// What rules derive from the entries, by key, kept for the next pass
    /// ([`CorpusIndex::memo`]).
    memos: std::sync::Mutex<HashMap<&'static str, Arc<dyn Any + Send + Sync>>>,
}

/// One pass of the cross-file rules: a counting pass builds no finding and
/// counts, per entry, the findings rules ask to build; a pass over a
/// window builds only the findings of the entries in it. So a corpus where
/// every file has a finding is finished a window at a time
/// ([`crate::lint::finish_streaming`]) instead of holding every finding.
#[derive(Default)]
struct Pass {
    /// Entry positions whose findings are built; `None`: every entry's.
    window: Option<Range<usize>>,
    /// Whether this pass only counts.
    counting: bool,
}

impl std::fmt::Debug for CorpusIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CorpusIndex")
            .field("entries", &self.entries)
            .finish_non_exhaustive()
    }
}

impl CorpusIndex {
    /// Builds the index, sorting by path.
    pub fn new(mut entries: Vec<IndexEntry>) -> Self {
        use rayon::prelude::*;
        // A full run hands over its entries in path order, each path once:
        // checked on all cores, in one pass.
        if !entries.par_windows(2).all(|w| w[0].path < w[1].path) {
            Self::sort_entries(&mut entries);
        }
        CorpusIndex {
            entries,
            loader: None,
            loaded: Vec::new(),
            pass: Pass::default(),
            wanted: Vec::new(),
            memos: Default::default(),
        }
    }

    /// Sorts `entries` by path, keeping the first of each path.
    fn sort_entries(entries: &mut Vec<IndexEntry>) {
        // Runs hand over entries in path order, with at most a few named
        // files after them (a pre-commit run): those are inserted in place
        // rather than sorting 100k long paths again.
        let sorted = entries
            .windows(2)
            .position(|w| w[0].path > w[1].path)
            .map_or(entries.len(), |i| i + 1);
        if entries.len() - sorted <= 64 {
            for e in entries.split_off(sorted) {
                let at = entries.partition_point(|x| x.path <= e.path);
                entries.insert(at, e);
            }
        } else {
            entries.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        }
        entries.dedup_by(|a, b| a.path == b.path);
    }

    /// What `make` derives from the entries (settings included), made once
    /// under `key` and shared by later passes over this index: a run
    /// finished in windows passes over the corpus many times. The entries
    /// must not change after (an index is built once per run or lint).
    pub(crate) fn memo<T: Any + Send + Sync>(
        &self,
        key: &'static str,
        make: impl FnOnce() -> T,
    ) -> Arc<T> {
        let kept = self.memos.lock().ok().and_then(|m| m.get(key).cloned());
        if let Some(value) = kept.and_then(|v| v.downcast::<T>().ok()) {
            return value;
        }
        // Made without the lock: `make` may take another memo.
        let value = Arc::new(make());
        if let Ok(mut memos) = self.memos.lock() {
            memos.insert(key, Arc::clone(&value) as Arc<dyn Any + Send + Sync>);
        }
        value
    }

    /// Whether a finding in `entry`'s file is built in this pass (rules
    /// ask, through `rules::corpus::level`, before building one): never in
    /// a counting pass, which counts the asking; else when it is in the
    /// window.
    pub(crate) fn builds(&self, entry: &IndexEntry) -> bool {
        let position = self.position_of(entry);
        if self.pass.counting {
            if let Some(count) = position.and_then(|i| self.wanted.get(i)) {
                count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            return false;
        }
        match position {
            Some(i) => self.window_contains(i),
            None => self.pass.window.is_none(),
        }
    }

    /// Whether a diagnostic in the file at display path `path` belongs to
    /// this pass's window.
    pub(crate) fn in_window(&self, path: &str) -> bool {
        match self.position(path) {
            Some(i) => self.window_contains(i),
            None => self.pass.window.is_none(),
        }
    }

    fn position(&self, path: &str) -> Option<usize> {
        self.entries.binary_search_by(|e| (*e.path).cmp(path)).ok()
    }

    /// The position of `entry` in the index: by address when it is one of
    /// the index's own entries (rules hold those; a pass asks for every
    /// finding, and 100k path comparisons add up), else by path.
    pub(crate) fn position_of(&self, entry: &IndexEntry) -> Option<usize> {
        let size = std::mem::size_of::<IndexEntry>().max(1);
        let offset =
            (entry as *const IndexEntry as usize).wrapping_sub(self.entries.as_ptr() as usize);
        let i = offset / size;
        match self.entries.get(i) {
            Some(own) if offset % size == 0 && std::ptr::eq(own, entry) => Some(i),
            _ => self.position(&entry.path),
        }
    }

    /// Whether the entry at `position` is in this pass's window.
    pub(crate) fn window_contains(&self, position: usize) -> bool {
        self.pass
            .window
            .as_ref()
            .is_none_or(|w| w.contains(&position))
    }

    /// Starts a pass that builds nothing and counts, per entry, the
    /// findings rules ask for ([`CorpusIndex::wanted`], windows).
    pub(crate) fn start_counting_pass(&mut self) {
        self.pass = Pass {
            window: None,
            counting: true,
        };
        self.wanted = (0..self.entries.len())
            .map(|_| Default::default())
            .collect();
    }

    /// How many findings the counting pass was asked for.
    pub(crate) fn wanted(&self) -> usize {
        self.wanted
            .iter()
            .map(|c| c.load(std::sync::atomic::Ordering::Relaxed) as usize)
            .sum()
    }

    /// Windows of consecutive entries (their start positions; the first is
    /// 0) each asking for about `per_window` findings in the counting pass.
    pub(crate) fn windows(&self, per_window: usize) -> Vec<usize> {
        let mut starts = vec![0];
        let mut sum = 0usize;
        for (i, count) in self.wanted.iter().enumerate() {
            let count = count.load(std::sync::atomic::Ordering::Relaxed) as usize;
            if sum > 0 && sum + count > per_window {
                starts.push(i);
                sum = 0;
            }
            sum += count;
        }
        starts
    }

    /// Starts a pass that builds every finding of the entries at `window`
    /// (all, with `None`), forgetting the texts read back for the last one
    /// and reading those of its files with findings on all cores: the
    /// rules then build the findings one by one, and would read them one by
    /// one.
    pub(crate) fn start_window(&mut self, window: Option<Range<usize>>) {
        use rayon::prelude::*;
        for slot in &mut self.loaded {
            slot.take();
        }
        let len = self.entries.len();
        let range = window.clone().unwrap_or(0..len);
        self.pass = Pass {
            window,
            counting: false,
        };
        if self.loader.is_none() {
            return;
        }
        let this = &*self;
        (range.start.min(len)..range.end.min(len))
            .into_par_iter()
            .for_each(|i| {
                let asked = this
                    .wanted
                    .get(i)
                    .is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed) > 0);
                if let Some(entry) = this.entries.get(i).filter(|e| asked && e.source.is_none()) {
                    // Its lines too: every finding in it is shown at a line.
                    this.source(entry).lines();
                }
            });
    }

    /// The entry of the file with display path `path`.
    pub fn entry(&self, path: &str) -> Option<&IndexEntry> {
        self.entries.get(self.position(path)?)
    }

    /// Sets how to read back the text of entries that dropped it.
    #[must_use]
    pub fn with_loader(mut self, loader: Box<SourceLoader>) -> Self {
        self.loader = Some(loader);
        self.loaded = (0..self.entries.len())
            .map(|_| std::sync::OnceLock::new())
            .collect();
        self
    }

    /// The entry's file: its kept text, or the file read again, or (when
    /// it cannot be read any more) an empty text, so a finding still names
    /// the file and spans clamp to its start.
    pub fn source(&self, entry: &IndexEntry) -> Arc<SourceFile> {
        if let Some(source) = &entry.source {
            return Arc::clone(source);
        }
        let read = || {
            self.loader
                .as_ref()
                .and_then(|load| load(&entry.path))
                .unwrap_or_else(|| Arc::new(SourceFile::new(entry.path.to_string(), "")))
        };
        let slot = self.position_of(entry).and_then(|i| self.loaded.get(i));
        match slot {
            Some(slot) => Arc::clone(slot.get_or_init(read)),
            None => read(),
        }
    }
}

/// A group of story candidates: their source and language.
type StoryGroup = (Box<str>, Box<str>);

/// The group of story candidates an entry is in and its time, as
/// [`LiveIndex`] filed it.
type StorySlot = (StoryGroup, i64);

/// A corpus index kept up to date one entry at a time, for a long-running
/// session (the language server). Besides the entries it keeps the groups
/// the cross-file rules form: by id, by headline, and the story candidates
/// of each source and language in time order. Setting one entry touches
/// only its groups, and linting one file needs only the entries its
/// cross-file findings can depend on ([`LiveIndex::neighbours`]), however
/// large the corpus.
///
/// Its entries are context: only the file linted against them is reported
/// (an entry's own findings would need its own neighbours).
///
/// A new cross-file rule whose findings for a file depend on other entries
/// than these groups hold must add them to [`LiveIndex::neighbours`]
/// (`neighbours_give_the_findings_of_the_whole_corpus` checks the rules
/// against a full pass).
#[derive(Debug, Clone, Default)]
pub struct LiveIndex {
    entries: HashMap<Arc<str>, (IndexEntry, Option<StorySlot>)>,
    /// Paths by id: each `corpus/duplicate-external-id` group (and more:
    /// the rule compares the scope), and the originals a translation names.
    by_id: HashMap<Box<str>, BTreeSet<Arc<str>>>,
    /// Paths by the hash of the normalized headline: each
    /// `corpus/duplicate-title` group (and more: the rule compares the
    /// language and the headlines).
    by_title: HashMap<u64, BTreeSet<Arc<str>>>,
    /// The `corpus/duplicate-story` candidates of each source and language,
    /// by (time, path): the order that rule compares them in.
    stories: HashMap<StoryGroup, BTreeSet<(i64, Arc<str>)>>,
}

impl LiveIndex {
    /// An index of `entries` (a later entry of one path replaces an
    /// earlier one). What each entry is filed under is worked out on all
    /// cores (a headline's words, a date parsed), then filed in order.
    pub fn new(entries: Vec<IndexEntry>) -> Self {
        use rayon::prelude::*;
        let keyed: Vec<(IndexEntry, Option<StorySlot>)> = entries
            .into_par_iter()
            .map(|mut e| {
                e.reported = false;
                let slot = story_slot(&e);
                (e, slot)
            })
            .collect();
        let mut index = LiveIndex::default();
        for (e, slot) in keyed {
            let path = Arc::clone(&e.path);
            if let Some((old, old_slot)) = index.entries.remove(&path) {
                index.unfile(&old, old_slot);
            }
            index.file(&path, &e, slot.clone());
            index.entries.insert(path, (e, slot));
        }
        index
    }

    /// How many entries it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry of `path`.
    pub fn get(&self, path: &str) -> Option<&IndexEntry> {
        self.entries.get(path).map(|(e, _)| e)
    }

    /// Sets (or, with `None`, removes) the entry of `path`, marked not
    /// `reported`, and files it in its groups; returns the entry it
    /// replaced. Costs a few map operations, whatever the corpus size.
    pub fn set(&mut self, path: &str, entry: Option<IndexEntry>) -> Option<IndexEntry> {
        let old = self.entries.remove(path).map(|(old, slot)| {
            self.unfile(&old, slot);
            old
        });
        if let Some(mut e) = entry {
            e.reported = false;
            let key: Arc<str> = match &old {
                Some(o) if *o.path == *path => Arc::clone(&o.path),
                _ => path.into(),
            };
            let slot = story_slot(&e);
            self.file(&key, &e, slot.clone());
            self.entries.insert(key, (e, slot));
        }
        old
    }

    /// Files `e` under `key` in its groups.
    fn file(&mut self, key: &Arc<str>, e: &IndexEntry, slot: Option<StorySlot>) {
        if let Some(id) = &e.facts.external_id {
            let paths = self.by_id.entry(id.value.clone()).or_default();
            paths.insert(Arc::clone(key));
        }
        if let Some(h) = title_key(e) {
            self.by_title.entry(h).or_default().insert(Arc::clone(key));
        }
        if let Some((group, time)) = slot {
            let stories = self.stories.entry(group).or_default();
            stories.insert((time, Arc::clone(key)));
        }
    }

    fn unfile(&mut self, e: &IndexEntry, slot: Option<StorySlot>) {
        fn take<K: std::hash::Hash + Eq + ?Sized, V: Ord + ?Sized>(
            map: &mut HashMap<Box<K>, BTreeSet<Arc<V>>>,
            key: &K,
            value: &V,
        ) {
            if let Some(set) = map.get_mut(key) {
                set.remove(value);
                if set.is_empty() {
                    map.remove(key);
                }
            }
        }
        if let Some(id) = &e.facts.external_id {
            take(&mut self.by_id, &*id.value, &*e.path);
        }
        if let Some(h) = title_key(e) {
            if let Some(set) = self.by_title.get_mut(&h) {
                set.remove(&*e.path);
                if set.is_empty() {
                    self.by_title.remove(&h);
                }
            }
        }
        if let Some((group, time)) = slot {
            if let Some(set) = self.stories.get_mut(&group) {
                set.remove(&(time, Arc::clone(&e.path)));
                if set.is_empty() {
                    self.stories.remove(&group);
                }
            }
        }
    }

    /// The entries (`except`'s aside, in path order) that the cross-file
    /// findings of a file with `entry`'s facts can depend on: those sharing
    /// its id, those carrying the id it names as its original, those
    /// sharing its headline, and the story candidates of its source and
    /// language that `corpus/duplicate-story` compares it with (up to
    /// `MAX_COMPARED` on either side within the window). Linting the file
    /// against them yields its findings against the whole index.
    pub fn neighbours(
        &self,
        settings: &Settings,
        entry: &IndexEntry,
        except: &str,
    ) -> Vec<IndexEntry> {
        let f = &entry.facts;
        let mut paths: BTreeSet<&Arc<str>> = BTreeSet::new();
        for id in [&f.external_id, &f.translated_from].into_iter().flatten() {
            paths.extend(self.by_id.get(&*id.value).into_iter().flatten());
        }
        if let Some(h) = title_key(entry) {
            paths.extend(self.by_title.get(&h).into_iter().flatten());
        }
        if let Some((group, time)) = story_slot(entry) {
            if let Some(stories) = self.stories.get(&group) {
                paths.extend(story_neighbours(settings, stories, time, except));
            }
        }
        paths
            .into_iter()
            .filter(|p| ***p != *except)
            .filter_map(|p| self.get(p).cloned())
            .collect()
    }
}

/// Where `e` is among the story candidates, owned.
fn story_slot(e: &IndexEntry) -> Option<StorySlot> {
    let ((source, lang), time) = crate::rules::corpus::duplicate_story::story_slot(e)?;
    Some(((source.into(), lang.into()), time))
}

/// The key a headline is grouped by, when it has words.
fn title_key(e: &IndexEntry) -> Option<u64> {
    e.facts.title_key
}

/// The stories (by time, path) compared with one at `time`: the
/// `MAX_COMPARED` before and after it that are within the window.
fn story_neighbours<'a>(
    settings: &Settings,
    stories: &'a BTreeSet<(i64, Arc<str>)>,
    time: i64,
    except: &'a str,
) -> impl Iterator<Item = &'a Arc<str>> {
    use crate::rules::corpus::duplicate_story::MAX_COMPARED;
    let window = crate::rules::corpus::duplicate_story::reimport_window(settings);
    let me = (time, Arc::<str>::from(except));
    let before = stories
        .range(..me.clone())
        .rev()
        .filter(move |(_, p)| **p != *except)
        .take(MAX_COMPARED)
        .take_while(move |(t, _)| time.saturating_sub(*t) <= window);
    let after = stories
        .range(me..)
        .filter(move |(_, p)| **p != *except)
        .take(MAX_COMPARED)
        .take_while(move |(t, _)| t.saturating_sub(time) <= window);
    before.chain(after).map(|(_, p)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 20,000 files sharing a title each name 10 others: reading a file
    /// back once per mention re-read each 5 times and kept a copy each.
    #[test]
    fn a_file_is_read_back_once_however_often_findings_name_it() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let settings = Settings::with_defaults(jiff::Timestamp::UNIX_EPOCH);
        let mut entries: Vec<IndexEntry> = ["a.md", "b.md"]
            .iter()
            .map(|p| {
                let text = format!("---\ntitle: {p}\n---\n");
                crate::lint_text(&settings, p, p, text)
                    .index
                    .expect("an entry")
            })
            .collect();
        for e in &mut entries {
            e.source = None;
        }
        let reads = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&reads);
        let index = CorpusIndex::new(entries).with_loader(Box::new(move |path: &str| {
            counter.fetch_add(1, Ordering::Relaxed);
            Some(Arc::new(SourceFile::new(path, "text")))
        }));
        let first = index.source(&index.entries[0]);
        for _ in 0..5 {
            assert!(Arc::ptr_eq(&first, &index.source(&index.entries[0])));
        }
        index.source(&index.entries[1]);
        assert_eq!(reads.load(Ordering::Relaxed), 2);
    }

    /// Lines are counted on from the last field's, or afresh when a field
    /// comes before it in the file: each is the line its value is on.
    #[test]
    fn facts_name_the_line_of_each_value_in_any_order() {
        let settings = Settings::with_defaults(jiff::Timestamp::UNIX_EPOCH);
        for nl in ["\n", "\r\n"] {
            let text = [
                "---",
                "publishedAt: '2026-01-31T18:04:41.000Z'",
                "coverImage:",
                "  raw: https://images.unsplash.com/photo-123-abc?ixid=x",
                "lang: uk",
                "externalId: abc",
                "title: Заголовок",
                "---",
                "",
            ]
            .join(nl);
            let entry = crate::lint_text(&settings, "a.md", "a.md", text)
                .index
                .expect("an entry");
            let f = &entry.facts;
            let line = |v: &Option<SpannedValue>| v.as_ref().map(|v| v.line);
            assert_eq!(line(&f.published_at), Some(2), "{nl:?}");
            assert_eq!(line(&f.cover_photo), Some(4), "{nl:?}");
            assert_eq!(line(&f.lang), Some(5), "{nl:?}");
            assert_eq!(line(&f.external_id), Some(6), "{nl:?}");
            assert_eq!(line(&f.title), Some(7), "{nl:?}");
        }
    }

    #[test]
    fn entries_come_out_sorted_and_unique_however_they_came_in() {
        let settings = Settings::with_defaults(jiff::Timestamp::UNIX_EPOCH);
        let entry = |path: &str| {
            let text = format!("---\ntitle: {path}\n---\n");
            crate::lint_text(&settings, path, path, text)
                .index
                .expect("an entry")
        };
        let paths = |index: &CorpusIndex| -> Vec<String> {
            index.entries.iter().map(|e| e.path.to_string()).collect()
        };
        let sorted: Vec<String> = (0..100).map(|i| format!("a/{i:03}.md")).collect();
        // Sorted, with a few stragglers after (and one duplicate).
        let mut input: Vec<IndexEntry> = sorted.iter().map(|p| entry(p)).collect();
        for p in ["a/050.md", "a/000.md", "0.md", "z.md"] {
            input.push(entry(p));
        }
        let mut expected = sorted.clone();
        expected.extend(["0.md".to_owned(), "z.md".to_owned()]);
        expected.sort();
        assert_eq!(paths(&CorpusIndex::new(input)), expected);
        // Shuffled: sorted in full.
        let mut input: Vec<IndexEntry> = sorted.iter().map(|p| entry(p)).collect();
        input.reverse();
        assert_eq!(paths(&CorpusIndex::new(input)), sorted);
    }

    /// A corpus dense in every kind of cross-file finding: ids shared
    /// across and within scopes, headlines shared and alike, feed batches
    /// of more than `MAX_COMPARED` stories at one time, translations of
    /// missing, other-source and same-language originals.
    fn dense_corpus(n: u64) -> Vec<(String, String)> {
        const WORDS: [&str; 8] = [
            "Miners", "Pivot", "To", "AI", "Bank", "Rates", "Oslo", "2026",
        ];
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |below: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % below
        };
        (0..n)
            .map(|i| {
                let title: Vec<&str> = (0..4).map(|_| WORDS[next(8) as usize]).collect();
                let source = ["feed", "wire"][next(2) as usize];
                let lang = ["en", "uk"][usize::from(next(3) == 0)];
                let minute = next(4) * 2;
                let translation = if next(4) == 0 {
                    format!("ai:\n  translatedFrom: '{}'\n", next(120))
                } else {
                    String::new()
                };
                let text = format!(
                    "---\ntitle: {}\nexternalId: '{}'\nsource:\n  key: {source}\nlang: {lang}\npublishedAt: '2026-01-01T10:{minute:02}:00Z'\n{translation}---\nText.\n",
                    title.join(" "),
                    next(120),
                );
                (format!("f/{i:04}.md"), text)
            })
            .collect()
    }

    /// Linting a file against its neighbours in a live index finds what
    /// linting it against the whole corpus finds.
    #[test]
    fn neighbours_give_the_findings_of_the_whole_corpus() {
        let settings = Settings::with_defaults(jiff::Timestamp::UNIX_EPOCH);
        let files = dense_corpus(600);
        let entries: Vec<IndexEntry> = files
            .iter()
            .filter_map(|(p, t)| crate::lint_text(&settings, p, p, t.clone()).index)
            .collect();
        assert_eq!(entries.len(), files.len());
        let mut live = LiveIndex::new(entries.clone());
        let mut codes = std::collections::BTreeSet::new();
        let mut picked = 0;
        for (n, (path, text)) in files.iter().enumerate().step_by(3) {
            // Edit one file in three: a title taken from another file.
            let text = if n % 2 == 0 {
                let other = &files[(n * 7 + 1) % files.len()].1;
                let title = other.lines().nth(1).unwrap_or_default();
                let mine = text.lines().nth(1).unwrap_or_default();
                text.replacen(mine, title, 1)
            } else {
                text.clone()
            };
            let report = crate::lint_text(&settings, path, path, text.clone());
            let entry = report.index.clone().expect("an entry");
            let mut context: Vec<IndexEntry> = entries
                .iter()
                .filter(|e| *e.path != **path)
                .cloned()
                .collect();
            for e in &mut context {
                e.reported = false;
            }
            let whole = crate::lint::finish(&settings, vec![report], context);
            let near = live.neighbours(&settings, &entry, path);
            picked += near.len();
            let report = crate::lint_text(&settings, path, path, text);
            let found = crate::lint::finish(&settings, vec![report], near);
            assert_eq!(found, whole, "{path}");
            codes.extend(whole.iter().map(|d| d.code));
            live.set(path, Some(entry));
            live.set(path, entries.iter().find(|e| *e.path == **path).cloned());
        }
        for code in [
            "corpus/duplicate-external-id",
            "corpus/duplicate-title",
            "corpus/duplicate-story",
            "corpus/orphan-translation",
            "corpus/same-language-translation",
            "corpus/translation-mismatch",
        ] {
            assert!(codes.contains(code), "no {code} in {codes:?}");
        }
        // The neighbours are a fraction of the corpus.
        assert!(picked < 200 * files.len() / 3, "{picked}");
    }

    #[test]
    fn setting_an_entry_refiles_it_in_its_groups() {
        let settings = Settings::with_defaults(jiff::Timestamp::UNIX_EPOCH);
        let files = dense_corpus(50);
        let entry = |i: usize, text: &str| {
            let path = &files[i].0;
            crate::lint_text(&settings, path, path, text.to_owned())
                .index
                .expect("an entry")
        };
        let mut live = LiveIndex::new((0..50).map(|i| entry(i, &files[i].1)).collect());
        let probe = entry(
            0,
            &crate::rules::corpus::tests::article("x1", "feed", "Probe title"),
        );
        assert!(live.neighbours(&settings, &probe, "f/0000.md").is_empty());
        // File 1 takes the probe's id and title: a neighbour; then neither.
        let twin = crate::rules::corpus::tests::article("x1", "feed", "Probe title");
        live.set("f/0001.md", Some(entry(1, &twin)));
        let near = live.neighbours(&settings, &probe, "f/0000.md");
        assert_eq!(near.len(), 1);
        assert!(!near[0].reported);
        live.set("f/0001.md", Some(entry(1, &files[1].1)));
        assert!(live.neighbours(&settings, &probe, "f/0000.md").is_empty());
        live.set("f/0001.md", None);
        assert_eq!(live.len(), 49);
        assert!(live
            .by_id
            .values()
            .chain(live.by_title.values())
            .all(|s| !s.is_empty()));
        assert!(live.by_id.values().flatten().all(|p| live.get(p).is_some()));
    }

    #[test]
    fn index_only_read_matches_the_full_lint() {
        let settings = Settings::with_defaults(jiff::Timestamp::UNIX_EPOCH);
        let seed = "---\ntitle: 'T'\nexternalId: '42'\nsource:\n  key: feed\n---\nBody\n";
        let inputs: Vec<Vec<u8>> = vec![
            seed.into(),
            format!("\u{feff}{}", seed.replace('\n', "\r\n")).into(),
            "---\ntitle: [unclosed\n---\n".into(),
            "---\n- a list\n---\n".into(),
            "no front matter\n".into(),
            "---\ntitle: x\n".into(),
            b"---\ntitle: \xff\n---\n".to_vec(),
            b"---\ntitle: x\0\n---\n".to_vec(),
            "---\nexternalId: 42\ntitle: x\n---\n".into(),
        ];
        for bytes in inputs {
            let full = crate::lint_bytes(&settings, "a.md", "a.md", bytes.clone())
                .index
                .map(|mut e| {
                    e.reported = false;
                    e.shed_text();
                    e
                });
            let quick = IndexEntry::from_bytes(&settings, "a.md", "a.md", bytes.clone());
            assert_eq!(quick, full, "{:?}", String::from_utf8_lossy(&bytes));
        }
    }
}
