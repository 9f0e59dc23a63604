//! Sortable lists of records (Find, the office's review queue): each column header is a button;
//! clicking one sorts the list by that column, clicking it again reverses it.

use crate::ClientSummary;
use crate::gui::i18n::I18n;
use crate::gui::widgets::cell_at;

/// What the list is sorted by (clicking a column's header; again reverses it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum SortBy {
    /// As the worker answered: best match first when searching, by name when listing.
    #[default]
    Answer,
    Name,
    DateOfBirth,
    Community,
    FollowUp,
    /// When the record was created (the office's review queue).
    Created,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Sort {
    by: SortBy,
    descending: bool,
}

impl Sort {
    /// Puts `order` (indexes into `rows`) in this order.
    pub(crate) fn apply(self, order: &mut [usize], rows: &[ClientSummary]) {
        let key = |row: &ClientSummary| -> String {
            match self.by {
                SortBy::Answer => String::new(),
                SortBy::Name => format!("{} {}", row.family_name, row.given_name).to_lowercase(),
                SortBy::DateOfBirth => row
                    .date_of_birth
                    .as_deref()
                    .unwrap_or_default()
                    .trim_start_matches('~')
                    .to_owned(),
                SortBy::Community => row.community.as_str().to_owned(),
                // Records with no follow-up go last.
                SortBy::FollowUp => row.next_follow_up.clone().unwrap_or_else(|| "~".into()),
                SortBy::Created => format!("{:020}", row.created_at.0),
            }
        };
        if self.by != SortBy::Answer {
            order.sort_by_cached_key(|&i| key(&rows[i]));
        }
        if self.descending {
            order.reverse();
        }
    }
}

/// Draws the column headers (`columns`: what each sorts by and its title's message id, at
/// `widths`); `true` when a click changed the sort. A column that sorts by [`SortBy::Answer`]
/// has a title only.
pub(crate) fn header(
    ui: &mut egui::Ui,
    i18n: &I18n,
    columns: &[(SortBy, &str)],
    widths: &[f32],
    sort: &mut Sort,
) -> bool {
    let mut changed = false;
    ui.horizontal(|ui| {
        for (&(by, id), &width) in columns.iter().zip(widths) {
            let mut title = i18n.t(id);
            // An arrow on screen (the words did not fit a column's width and pushed the next
            // titles right); the words for a screen reader.
            let mut spoken = title.clone();
            let sorted_here = sort.by == by && by != SortBy::Answer;
            if sorted_here {
                // Room for the arrow painted before the title (no bundled font has one).
                title.insert_str(0, "     ");
                spoken.push(' ');
                spoken.push_str(&i18n.t(if sort.descending {
                    "find-sorted-descending"
                } else {
                    "find-sorted-ascending"
                }));
            }
            let header = cell_at(
                ui,
                width,
                ui.text_style_height(&egui::TextStyle::Button) + 8.0,
                egui::Button::new(egui::RichText::new(title).strong())
                    .frame(false)
                    .truncate(),
            );
            if sorted_here {
                paint_arrow(ui, header.rect, sort.descending);
            }
            header.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Button, ui.is_enabled(), &spoken)
            });
            if header.clicked() && by != SortBy::Answer {
                *sort = Sort {
                    by,
                    descending: sort.by == by && !sort.descending,
                };
                changed = true;
            }
        }
    });
    changed
}

/// A small filled triangle at the left of a sorted column's title: up for ascending, down for
/// descending.
fn paint_arrow(ui: &egui::Ui, cell: egui::Rect, descending: bool) {
    let centre = egui::pos2(cell.left() + 9.0, cell.center().y);
    let (half_width, half_height) = (4.0, 3.5);
    let (tip, base) = if descending {
        (half_height, -half_height)
    } else {
        (-half_height, half_height)
    };
    let points = vec![
        egui::pos2(centre.x, centre.y + tip),
        egui::pos2(centre.x - half_width, centre.y + base),
        egui::pos2(centre.x + half_width, centre.y + base),
    ];
    let colour = ui.visuals().strong_text_color();
    ui.painter().add(egui::Shape::convex_polygon(
        points,
        colour,
        egui::Stroke::NONE,
    ));
}
