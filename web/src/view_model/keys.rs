//! Keyboard shortcuts: every action has one (space pause, `.` step, `>` one
//! event, `?` help).

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

    /// The button text.
    pub fn title(self) -> &'static str {
        match self {
            ServerAction::Crash => "Crash",
            ServerAction::Restart => "Restart",
            ServerAction::Timeout => "Force timeout",
            ServerAction::Request => "Client request",
            ServerAction::Isolate => "Isolate",
            ServerAction::Remove => "Remove server",
            ServerAction::Transfer => "Transfer leadership",
            ServerAction::Snapshot => "Snapshot now",
        }
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

/// The shortcuts, for the help panel: (keys, what they do).
pub const SHORTCUTS: [(&str, &str); 20] = [
    ("Space", "play / pause"),
    (
        ".",
        "step to the next thing that happens (a message, a vote, a commit)",
    ),
    (
        "Shift+. (>)",
        "step exactly one event, a silent clock tick included",
    ),
    ("?", "show or hide this help"),
    ("1\u{2013}9", "select a server"),
    ("c", "crash the selected server"),
    ("r", "restart it"),
    ("t", "force its election timeout"),
    ("q", "send a client request to it"),
    ("i", "isolate it from the network"),
    ("-", "remove it from the configuration"),
    ("l", "transfer leadership to it"),
    ("s", "compact its log into a snapshot now (\u{a7}7)"),
    ("h", "heal the network"),
    ("0", "reset the run"),
    (
        "Shift+F10",
        "open the selected server's menu (also the Menu key)",
    ),
    ("[ ]", "pick the previous / next message in flight"),
    ("d", "drop the picked message (also Delete)"),
    (
        "\u{2190} \u{2192}",
        "in the space-time diagram: select the previous / next message (Home, End too)",
    ),
    ("Esc", "close help or the menu / clear the selection"),
];

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
        let help = |k: &str| SHORTCUTS.iter().find(|(key, _)| *key == k).map(|s| s.1);
        assert!(help(".").is_some_and(|t| t.contains("next")));
        assert!(help("Shift+. (>)").is_some_and(|t| t.contains("one event")));
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
