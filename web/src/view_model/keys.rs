//! Keyboard shortcuts: every action has one (space pause, `.` step, `>` one
//! event, `?` help).

use crate::i18n::{tr, Lang};

/// What a key press asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyCommand {
    TogglePlay,
    /// To the next event a person can see (`.`).
    Step,
    /// Exactly one event, a clock tick included (Shift+`.`, that is `>`).
    StepTick,
    ToggleHelp,
    /// Close the help, or clear the selection.
    Escape,
    /// Digits select a server by id.
    Select(u64),
    /// On the selected server.
    Server(ServerAction),
    Heal,
    Reset,
    /// Open the selected server's menu (the context-menu key, Shift+F10).
    Menu,
    /// Pick the next (`]`) or previous (`[`) message in flight.
    NextMessage,
    PrevMessage,
    /// Drop the picked message (`d`, Delete).
    DropMessage,
    /// Duplicate (`u`), hold (`k`) or release (`g`) the picked message.
    Message(super::message_ops::MessageOp),
}

/// The per-server menu (§5.2 timeout, client request, faults, membership).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerAction {
    Crash,
    Restart,
    Timeout,
    Request,
    Isolate,
    /// Remove it from the configuration (single-server change, §6 / dissertation §4.1).
    Remove,
    /// Hand leadership to it (dissertation §3.10).
    Transfer,
    /// Compact its log up to what it has applied (§7).
    Snapshot,
}

impl ServerAction {
    pub const ALL: [ServerAction; 8] = [
        ServerAction::Crash,
        ServerAction::Restart,
        ServerAction::Timeout,
        ServerAction::Request,
        ServerAction::Isolate,
        ServerAction::Remove,
        ServerAction::Transfer,
        ServerAction::Snapshot,
    ];

    /// The `data-action` name of the menu item.
    pub fn name(self) -> &'static str {
        match self {
            ServerAction::Crash => "crash",
            ServerAction::Restart => "restart",
            ServerAction::Timeout => "timeout",
            ServerAction::Request => "request",
            ServerAction::Isolate => "isolate",
            ServerAction::Remove => "remove",
            ServerAction::Transfer => "transfer",
            ServerAction::Snapshot => "snapshot",
        }
    }

    /// The button text, in `lang`.
    pub fn title(self, lang: Lang) -> &'static str {
        tr(
            lang,
            match self {
                ServerAction::Crash => "server_action.crash",
                ServerAction::Restart => "server_action.restart",
                ServerAction::Timeout => "server_action.timeout",
                ServerAction::Request => "server_action.request",
                ServerAction::Isolate => "server_action.isolate",
                ServerAction::Remove => "server_action.remove",
                ServerAction::Transfer => "server_action.transfer",
                ServerAction::Snapshot => "server_action.snapshot",
            },
        )
    }

    pub fn key(self) -> &'static str {
        match self {
            ServerAction::Crash => "c",
            ServerAction::Restart => "r",
            ServerAction::Timeout => "t",
            ServerAction::Request => "q",
            ServerAction::Isolate => "i",
            ServerAction::Remove => "-",
            ServerAction::Transfer => "l",
            ServerAction::Snapshot => "s",
        }
    }

    /// Whether the action makes sense on a server that is (not) running.
    pub fn applies(self, alive: bool) -> bool {
        match self {
            ServerAction::Restart => !alive,
            ServerAction::Isolate | ServerAction::Remove => true,
            _ => alive,
        }
    }
}

/// The shortcuts, for the help panel: (keys, the key of what they do in the
/// string tables); [`shortcuts`] gives the texts.
pub const SHORTCUTS: [(&str, &str); 23] = [
    ("Space", "keys.help.play"),
    (".", "keys.help.step"),
    ("Shift+. (>)", "keys.help.step_tick"),
    ("?", "keys.help.help"),
    ("1\u{2013}9", "keys.help.select"),
    ("c", "keys.help.crash"),
    ("r", "keys.help.restart"),
    ("t", "keys.help.timeout"),
    ("q", "keys.help.request"),
    ("i", "keys.help.isolate"),
    ("-", "keys.help.remove"),
    ("l", "keys.help.transfer"),
    ("s", "keys.help.snapshot"),
    ("h", "keys.help.heal"),
    ("0", "keys.help.reset"),
    ("Shift+F10", "keys.help.menu"),
    ("[ ]", "keys.help.pick"),
    ("d", "keys.help.drop"),
    ("u", "keys.help.duplicate"),
    ("k", "keys.help.hold"),
    ("g", "keys.help.release"),
    ("\u{2190} \u{2192}", "keys.help.diagram"),
    ("Esc", "keys.help.escape"),
];

/// The shortcuts in `lang`: (keys, what they do).
pub fn shortcuts(lang: Lang) -> [(&'static str, &'static str); 23] {
    SHORTCUTS.map(|(keys, what)| (keys, tr(lang, what)))
}

/// The command for `key` (a `KeyboardEvent.key`). `in_field`: focus is in a
/// form field, which keeps its keys (except Escape).
pub fn key_command(key: &str, in_field: bool) -> Option<KeyCommand> {
    if key == "Escape" {
        return Some(KeyCommand::Escape);
    }
    if in_field {
        return None;
    }
    Some(match key {
        " " | "Spacebar" => KeyCommand::TogglePlay,
        "." => KeyCommand::Step,
        ">" => KeyCommand::StepTick,
        "?" => KeyCommand::ToggleHelp,
        "h" => KeyCommand::Heal,
        "0" => KeyCommand::Reset,
        "ContextMenu" | "F10" => KeyCommand::Menu,
        "]" => KeyCommand::NextMessage,
        "[" => KeyCommand::PrevMessage,
        "d" | "Delete" => KeyCommand::DropMessage,
        "u" => KeyCommand::Message(super::message_ops::MessageOp::Duplicate),
        "k" => KeyCommand::Message(super::message_ops::MessageOp::Hold),
        "g" => KeyCommand::Message(super::message_ops::MessageOp::Release),
        _ => {
            if let Some(a) = ServerAction::ALL.into_iter().find(|a| a.key() == key) {
                return Some(KeyCommand::Server(a));
            }
            let digit = key.parse::<u64>().ok().filter(|d| (1..=9).contains(d))?;
            KeyCommand::Select(digit)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_s_shortcuts() {
        assert_eq!(key_command(" ", false), Some(KeyCommand::TogglePlay));
        assert_eq!(key_command(".", false), Some(KeyCommand::Step));
        assert_eq!(key_command(">", false), Some(KeyCommand::StepTick));
        assert_eq!(key_command("?", false), Some(KeyCommand::ToggleHelp));
        assert_eq!(key_command("3", false), Some(KeyCommand::Select(3)));
        assert_eq!(
            key_command("c", false),
            Some(KeyCommand::Server(ServerAction::Crash))
        );
        assert_eq!(key_command("x", false), None);
        assert_eq!(key_command("10", false), None);
    }

    #[test]
    fn menu_and_message_keys() {
        assert_eq!(key_command("ContextMenu", false), Some(KeyCommand::Menu));
        assert_eq!(key_command("F10", false), Some(KeyCommand::Menu));
        assert_eq!(key_command("]", false), Some(KeyCommand::NextMessage));
        assert_eq!(key_command("[", false), Some(KeyCommand::PrevMessage));
        assert_eq!(key_command("d", false), Some(KeyCommand::DropMessage));
        assert_eq!(key_command("Delete", false), Some(KeyCommand::DropMessage));
        assert_eq!(
            key_command("Delete", true),
            None,
            "a text field keeps Delete"
        );
        for k in ["Shift+F10", "[ ]", "d"] {
            assert!(
                SHORTCUTS.iter().any(|(key, _)| *key == k),
                "{k} not in the help"
            );
        }
    }

    #[test]
    fn shift_dot_steps_one_event_and_the_help_says_so() {
        assert_eq!(key_command(">", false), Some(KeyCommand::StepTick));
        assert_eq!(key_command(">", true), None, "a text field keeps >");
        let help = |k: &str| {
            shortcuts(Lang::En)
                .into_iter()
                .find(|(key, _)| *key == k)
                .map(|s| s.1)
        };
        assert!(help(".").is_some_and(|t| t.contains("next")));
        assert!(help("Shift+. (>)").is_some_and(|t| t.contains("one event")));
        let zh = shortcuts(Lang::Zh);
        assert!(zh.iter().all(|(_, what)| !what.starts_with("keys.")));
        assert_eq!(zh[0].0, "Space", "the keys are the same in every language");
        assert_eq!(
            ServerAction::Transfer.title(Lang::En),
            "Transfer leadership"
        );
        assert_ne!(
            ServerAction::Transfer.title(Lang::Zh),
            "Transfer leadership"
        );
        let keys: Vec<&str> = SHORTCUTS.iter().map(|s| s.0).collect();
        let mut distinct = keys.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), keys.len(), "{keys:?}");
    }

    #[test]
    fn form_fields_keep_their_keys_but_escape_works() {
        assert_eq!(key_command(" ", true), None);
        assert_eq!(key_command("3", true), None);
        assert_eq!(key_command("Escape", true), Some(KeyCommand::Escape));
    }

    #[test]
    fn every_server_action_has_a_distinct_key_listed_in_the_help() {
        for a in ServerAction::ALL {
            assert!(SHORTCUTS.iter().any(|(k, _)| *k == a.key()), "{a:?}");
            assert_eq!(
                key_command(a.key(), false),
                Some(KeyCommand::Server(a)),
                "{a:?}"
            );
        }
        assert!(ServerAction::Restart.applies(false) && !ServerAction::Restart.applies(true));
        assert!(!ServerAction::Crash.applies(false));
    }
}
