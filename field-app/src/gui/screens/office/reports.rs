//! Reports (issue 12): the partnership's figures — the same `shared::report::figures` the
//! node's `report` command prints — as a bar chart per table, in words (never codes), for a
//! period and a community; each table can be copied as CSV (counts only, no client data).

use shared::catalogue::localized;
use shared::ids::{CommunityCode, PartnerCode, ProgramCode};
use shared::report::{Figure, ReportFilter, TABLES};
use shared::time::CalendarDate;

use super::super::ViewCtx;
use super::super::detail::language_name;
use super::super::record_words::community_name;
use super::review::{Since, community_choice, period_choice};
use crate::gui::widgets::cell_at;

/// Each table's title.
const TITLES: [&str; 7] = [
    "report-intakes-per-week",
    "report-programs",
    "report-languages",
    "report-interpreters",
    "report-referrals",
    "report-follow-ups",
    "report-satisfaction",
];

#[derive(Default)]
pub(super) struct ReportsTab {
    community: Option<CommunityCode>,
    since: Since,
    sent: Option<(Option<CommunityCode>, Since)>,
    /// Which table the chart shows ([`TABLES`] index).
    table: usize,
    figures: Vec<Figure>,
    /// The open table in words, made once per answer, table or language (not per frame: a
    /// year of weeks by community is thousands of rows).
    shown: Option<Shown>,
}

/// A table as drawn: its bars and its numbered lines.
#[derive(Default)]
struct Shown {
    table: usize,
    language: String,
    bars: Vec<(String, u64)>,
    lines: Vec<[String; 3]>,
}

impl ReportsTab {
    pub(super) fn filter(&mut self) -> ReportFilter {
        self.sent = Some((self.community.clone(), self.since));
        let today = CalendarDate::today_utc();
        ReportFilter {
            from: match self.since {
                Since::AnyTime => None,
                Since::Today => Some(today),
                Since::Week => today.add_days(-6),
                Since::Month => today.add_days(-29),
            },
            until: None,
            community: self.community.clone(),
        }
    }

    pub(super) fn received(&mut self, figures: Vec<Figure>) {
        self.figures = figures;
        self.shown = None;
    }

    /// The open table in words (made again only when something it depends on changed).
    fn shown(&mut self, ctx: &ViewCtx<'_>) -> &Shown {
        let language = ctx.i18n.language().code();
        let stale = self
            .shown
            .as_ref()
            .is_none_or(|s| s.table != self.table || s.language != language);
        if stale {
            self.shown = Some(self.in_words(ctx));
        }
        self.shown.get_or_insert_with(Shown::default)
    }

    /// The open table's bars and lines, in words.
    fn in_words(&self, ctx: &ViewCtx<'_>) -> Shown {
        let table = TABLES[self.table];
        let rows: Vec<&Figure> = self.figures.iter().filter(|f| f.table == table).collect();
        let bars = self.bars(ctx, &rows);
        // Numbered as the chart's bars are (long names do not fit under bars).
        let mut lines: Vec<[String; 3]> = bars
            .iter()
            .enumerate()
            .map(|(n, (words, count))| [format!("{}.", n + 1), words.clone(), count.to_string()])
            .collect();
        if rows.len() > bars.len() {
            // Intakes: the weeks above, then each week by community.
            lines.extend(
                rows.iter()
                    .map(|f| [String::new(), self.words(ctx, f), f.count.to_string()]),
            );
        }
        Shown {
            table: self.table,
            language: ctx.i18n.language().code().to_owned(),
            bars,
            lines,
        }
    }

    /// Shows the filters, the table picker, the chart and its rows; `true` when a filter
    /// changed (the figures are asked for again).
    pub(super) fn show(&mut self, ui: &mut egui::Ui, ctx: &mut ViewCtx<'_>) -> bool {
        let i18n = ctx.i18n;
        egui::Grid::new("report-filters")
            .num_columns(2)
            .show(ui, |ui| {
                community_choice(ui, ctx, &mut self.community);
                period_choice(ui, ctx, "office-created", &mut self.since);
            });
        ui.horizontal_wrapped(|ui| {
            for (index, title) in TITLES.iter().enumerate() {
                if ui
                    .selectable_label(self.table == index, i18n.t(title))
                    .clicked()
                {
                    self.table = index;
                }
            }
        });
        ui.separator();
        let title = i18n.t(TITLES[self.table]);
        let mut copy = false;
        let shown = self.shown(ctx);
        ui.horizontal(|ui| {
            ui.heading(&title);
            copy = !shown.bars.is_empty() && ui.button(i18n.t("report-copy-csv")).clicked();
        });
        if shown.bars.is_empty() {
            ui.label(i18n.t("report-nothing"));
        } else {
            // Said to screen readers (and found by the tests): what the chart shows.
            let said = i18n.t_args(
                "report-chart",
                &[("title", title.into()), ("count", shown.bars.len().into())],
            );
            chart(ui, &shown.bars, &said);
            let height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show_rows(ui, height, shown.lines.len(), |ui, range| {
                    for [number, words, count] in &shown.lines[range] {
                        ui.horizontal(|ui| {
                            for (text, width) in [(number, 40.0), (words, 520.0), (count, 80.0)] {
                                cell_at(ui, width, height, egui::Label::new(text.as_str()));
                            }
                        });
                    }
                });
        }
        if copy {
            let table = TABLES[self.table];
            let rows: Vec<Figure> = self
                .figures
                .iter()
                .filter(|f| f.table == table)
                .cloned()
                .collect();
            ui.ctx().copy_text(shared::report::csv(&rows));
        }
        self.sent.as_ref() != Some(&(self.community.clone(), self.since))
    }

    /// The chart's bars, in words: one per row, or per week for intakes (summed over communities;
    /// the rows by community follow).
    fn bars(&self, ctx: &ViewCtx<'_>, rows: &[&Figure]) -> Vec<(String, u64)> {
        if TABLES[self.table] != "intakes_per_week" {
            return rows.iter().map(|f| (self.words(ctx, f), f.count)).collect();
        }
        let mut weeks: Vec<(String, u64)> = Vec::new();
        for figure in rows {
            let week = figure.key.first().cloned().unwrap_or_default();
            match weeks.last_mut() {
                Some((last, count)) if *last == week => *count += figure.count,
                _ => weeks.push((week, figure.count)),
            }
        }
        weeks
            .into_iter()
            .map(|(week, count)| {
                let words = ctx.i18n.t_args("report-week", &[("week", week.into())]);
                (words, count)
            })
            .collect()
    }

    /// A row's key in words: names for codes, translated states.
    fn words(&self, ctx: &ViewCtx<'_>, figure: &Figure) -> String {
        let i18n = ctx.i18n;
        let catalogue = ctx.catalogue;
        let language = i18n.language().code();
        let part = |index: usize| figure.key.get(index).map_or("", String::as_str);
        match figure.table {
            "intakes_per_week" => i18n.t_args(
                "report-week-of",
                &[
                    ("week", part(0).to_owned().into()),
                    (
                        "community",
                        community_name(i18n, catalogue, &CommunityCode::new(part(1))).into(),
                    ),
                ],
            ),
            "programs_by_government" => {
                let program = catalogue.program(&ProgramCode::new(part(1))).map_or_else(
                    || i18n.t("value-unknown-code"),
                    |p| localized(&p.name, language).to_owned(),
                );
                match catalogue.government(part(0)) {
                    Some(government) => {
                        format!("{program} — {}", localized(&government.name, language))
                    }
                    None => program,
                }
            }
            "languages_served" => language_name(i18n, part(0)),
            "interpreters" => i18n.t(if part(0) == "needed" {
                "report-interpreter-needed"
            } else {
                "report-interpreter-not-needed"
            }),
            "referrals" => {
                let partner = catalogue.partner(&PartnerCode::new(part(0))).map_or_else(
                    || i18n.t("value-unknown-code"),
                    |p| localized(&p.name, language).to_owned(),
                );
                let status = serde_json::from_value(serde_json::Value::String(part(1).into()))
                    .map_or_else(
                        |_| i18n.t("value-unknown-code"),
                        |s| i18n.t(super::super::intake::referral_status_id(s)),
                    );
                format!("{partner} — {status}")
            }
            "follow_ups" => i18n.t(match part(0) {
                "overdue" => "report-follow-up-overdue",
                "due_today" => "report-follow-up-today",
                _ => "report-follow-up-upcoming",
            }),
            _ => part(0).to_owned(),
        }
    }
}

/// A bar chart of `bars`, numbered under each bar as the rows below it are (a bar's name shows
/// when the pointer is on it); `said` is its accessible name.
fn chart(ui: &mut egui::Ui, bars: &[(String, u64)], said: &str) {
    let count = bars.len();
    let chart = egui_plot::BarChart::new(
        "report",
        bars.iter()
            .enumerate()
            .map(|(i, (label, count))| {
                egui_plot::Bar::new(i as f64 + 1.0, *count as f64)
                    .name(label)
                    .width(0.7)
            })
            .collect(),
    );
    egui_plot::Plot::new("report-chart")
        .height(240.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show_x(false)
        .include_y(0.0)
        .include_x(0.4)
        // At least six slots wide, so one or two bars do not fill the whole plot.
        .include_x(count.max(6) as f64 + 0.6)
        .x_axis_formatter(move |mark, _| {
            let number = mark.value.round();
            if (mark.value - number).abs() > 1e-6 || number < 1.0 || number > count as f64 {
                return String::new();
            }
            format!("{number}")
        })
        .show(ui, |plot| plot.bar_chart(chart))
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, said));
}
