//! Command and snapshot bytes are shared (`raft_core::Bytes`) but written as
//! the `Vec<u8>` they were before: scenario files, traces and links keep their format.

use raft_core::{Bytes, Command, Snapshot};

#[test]
fn bytes_serialize_as_a_list_of_numbers() {
    let command = Command {
        client: 1,
        seq: 2,
        data: b"x=1".into(),
    };
    let json = serde_json::to_string(&command).unwrap();
    assert_eq!(json, r#"{"client":1,"seq":2,"data":[120,61,49]}"#);
    let back: Command = serde_json::from_str(&json).unwrap();
    assert_eq!(back, command);
    assert_eq!(format!("{:?}", back.data), format!("{:?}", b"x=1".to_vec()));

    let snapshot = Snapshot {
        data: vec![7, 0].into(),
        ..Snapshot::default()
    };
    let json = serde_json::to_value(&snapshot).unwrap();
    assert_eq!(json["data"], serde_json::json!([7, 0]));
    let back: Snapshot = serde_json::from_value(json).unwrap();
    assert_eq!(back.data, Bytes::from(vec![7, 0]));
}
