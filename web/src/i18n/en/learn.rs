//! Section `learn`: the Learn menu's chapters (titles, captions, try-it
//! tasks). See `crate::i18n` and `crate::view_model::chapters`.

pub const STRINGS: &[(&str, &str)] = &[
    ("learn.menu", "Chapters"),
    ("learn.menu_title", "Learn Raft, one chapter at a time"),
    ("learn.label", "Chapter"),
    ("learn.back", "Back"),
    ("learn.next", "Next"),
    ("learn.close", "Close the chapter"),
    ("learn.step_of", "Step {step} of {of}"),
    ("learn.try_it", "Try it"),
    ("learn.done", "Done: the world shows it."),
    ("learn.not_yet", "Not done yet. Press play (or step) after acting."),
    // 1. Roles, terms and heartbeats.
    ("learn.1.title", "Roles, terms and heartbeats"),
    (
        "learn.1.start",
        "Five servers start as followers in term 0. The arc around each one is its election timer; every server draws its own random timeout, so one of them runs out first. A follower only answers; it never asks anything of the others.",
    ),
    (
        "learn.1.candidate",
        "S{node}'s election timer ran out. It became a candidate: it moved to term {term}, voted for itself, and asked every other server for its vote with RequestVote. Terms are Raft's logical clock: each term has at most one leader.",
    ),
    (
        "learn.1.leader",
        "S{node} won the votes of a majority and leads term {term}. It now sends heartbeats (AppendEntries with no entries) far more often than any election timeout, so each follower's timer keeps starting over and nobody else campaigns.",
    ),
    (
        "learn.1.try",
        "Without heartbeats a follower assumes the leader is gone. Try it below, then press play.",
    ),
    (
        "learn.task.crash_leader",
        "Crash the leader S{node} (select it and press C, or use its menu) and find the new one: a follower's timer runs out and it wins a higher term.",
    ),
    // 2. Elections.
    ("learn.2.title", "Elections: votes, randomized timeouts, a split vote"),
    (
        "learn.2.start",
        "Four servers, so a majority is three votes. To show a split vote, S1 and S2 are made to time out at the same moment, 20 ms in; the links are set so that S3 hears S1 first and S4 hears S2 first.",
    ),
    (
        "learn.2.candidates",
        "S1 and S2 are both candidates in term 1. Each voted for itself; each server grants at most one vote per term, to the first candidate that asks whose log is at least as up to date as its own.",
    ),
    (
        "learn.2.split",
        "The vote split two and two: S3 voted for S1 and S4 for S2. Neither candidate can reach three votes, so term 1 ends without a leader; the space-time diagram shows the requests and the refusals.",
    ),
    (
        "learn.2.retry",
        "Because timeouts are random, one server's timer ran out well before the others'. It started term {term} alone and won it: S{node} leads. Randomization makes repeated split votes unlikely.",
    ),
    (
        "learn.2.try",
        "A candidate needs the votes of a majority of the whole cluster, not just of the servers still running.",
    ),
    (
        "learn.task.no_majority",
        "Crash the leader and one more server, then press play: the two left keep timing out and starting elections, each in a higher term, but neither can get three votes, so nobody leads.",
    ),
    // 3. Replication.
    ("learn.3.title", "Replication: append, majority, commit, apply"),
    (
        "learn.3.leader",
        "S{node} leads term {term}; the logs view shows each server's log. At 500 ms a client asks the leader to put x = 1. Only the leader takes clients' commands.",
    ),
    (
        "learn.3.appended",
        "The leader appended x = 1 to its own log at index {index} and sends it to every follower in AppendEntries. It is not committed yet: a dashed box.",
    ),
    (
        "learn.3.committed",
        "A majority stores entry {index} (the leader counts itself), so the leader committed it, applied x = 1 to its state machine and replies to the client. Some followers have it but do not know yet that it is committed.",
    ),
    (
        "learn.3.everywhere",
        "Every follower learnt the new commit index from the leaderCommit field of the leader's next AppendEntries, and applied entry {index}: x = 1 on every server.",
    ),
    (
        "learn.3.try",
        "A majority is enough: the leader does not wait for every follower.",
    ),
    (
        "learn.task.commit_follower_down",
        "Crash a follower, then send a write (select the leader and press Q, or its menu: client request) and press play: four of five servers are still a majority, so it commits.",
    ),
    // 4. Log repair.
    ("learn.4.title", "The consistency check and log repair"),
    (
        "learn.4.example",
        "The notes' example: leader S1 holds index:term 1:1, 2:3, 3:3 and follower S2 holds 1:1, 2:1. Every AppendEntries carries the index and term of the entry just before the new ones; a follower accepts only if its log has that entry.",
    ),
    (
        "learn.4.rejected",
        "S2 refused twice: first because its log is too short for index 3, then because its entry 2 has term 1, not 3. After each refusal the leader moved next_index back one; it now tries index 1, term 1.",
    ),
    (
        "learn.4.matched",
        "Index 1, term 1 matched, so S2 deleted its conflicting 2:1 and took the leader's entries: the logs are equal again. Logs that agree at one index and term agree on everything before it.",
    ),
    (
        "learn.4.figure7",
        "Figure 7 of the paper: S1 holds the term-8 leader's log, S2 to S7 hold the follower logs (a) to (f): some miss entries, some have extra ones from other terms, some both.",
    ),
    (
        "learn.4.figure7_repaired",
        "S{node} won term {term} and repaired every follower the same way: back off until the logs match, delete what conflicts, send the rest. Every log now equals the leader's.",
    ),
    (
        "learn.4.try",
        "A follower that was down comes back with a stale log; the same check repairs it.",
    ),
    (
        "learn.task.repair_follower",
        "Make a follower's log match again: crash a follower (C), send a write while it is down (Q on the leader), restart it (R), and press play until its log equals the leader's.",
    ),
    // 5. Safety.
    ("learn.5.title", "Safety: the election restriction and Figure 8"),
    (
        "learn.5.start",
        "Figure 8 of the paper, forced step by step. S1 and S2 hold an entry of term 2 at index 2; S5 holds a different entry of term 3 there; S3 and S4 have only index 1; S5 is down.",
    ),
    (
        "learn.5.not_committed",
        "S1 leads term 4 and has copied its term-2 entry to S3 and S4: it is on a majority. Still S1 does not commit it. A leader commits by counting replicas only entries of its own term; older ones are committed only along with such an entry.",
    ),
    (
        "learn.5.overwritten",
        "S1 crashed before its term-4 entry spread. S5 won term 5: its last entry (term 3) is newer than the others' (term 2), so they could vote for it. It replaced index 2 everywhere with its term-3 entry. That is safe only because index 2 was never committed.",
    ),
    (
        "learn.5.bug_committed",
        "The same run with the rule broken on purpose (bug mode): S1 counted the three replicas of its term-2 entry and committed index 2, and applied it.",
    ),
    (
        "learn.5.bug_lost",
        "Then S5 was elected and overwrote the committed index 2: servers have applied different commands at the same index. The safety panel names the property that broke. This is why the rule exists.",
    ),
    (
        "learn.5.try",
        "The election restriction: a voter refuses a candidate whose log is less up to date than its own (a lower last term, or the same last term and a shorter log), so a leader always holds every committed entry.",
    ),
    (
        "learn.task.stale_candidate",
        "Cut a follower off (select it and press I), send a write (Q on the leader S{node}) and play for a second: the cut-off follower keeps timing out and its term climbs. Heal (H) and play: it campaigns in its higher term, and a voter refuses it because its log is behind.",
    ),
    // 6. The five safety properties.
    ("learn.6.title", "The five safety properties of Figure 3"),
    (
        "learn.6.panel",
        "Figure 3 of the paper lists five properties Raft keeps true at every moment, whatever crashes, delays and partitions do. The safety panel checks each of them at every event of the run: Election Safety, Leader Append-Only, Log Matching, Leader Completeness and State Machine Safety. Here x = 1 is applied on every server, and all five have held so far.",
    ),
    (
        "learn.6.election",
        "Election Safety: at most one leader per term. S{node} leads term {term}; the split vote before it elected no one. Each server votes at most once per term and keeps its vote on disk, and a leader needs a majority; two majorities always share a server, so two leaders of one term would need someone to vote twice (§5.2).",
    ),
    (
        "learn.6.matching",
        "Leader Append-Only and Log Matching. Repairing Figure 7's followers, the leader S{node} only appended to its own log; only the followers' conflicting entries were deleted. Each AppendEntries names the index and term of the entry before the new ones, and a follower accepts only if it holds that entry, so logs that share an entry's index and term are identical up to it (§5.3).",
    ),
    (
        "learn.6.completeness",
        "Leader Completeness and State Machine Safety: an entry committed in a term is in the log of every later leader, so no two servers ever apply different entries at one index. S{node} could overwrite index 2 only because it was never committed: the leader did not count replicas of an older term's entry (§5.4.2), and voters refuse a candidate whose log is behind theirs (§5.4.1).",
    ),
    (
        "learn.6.broken",
        "The same run with that rule broken: S1 committed the term-2 entry by counting replicas, and S5 then overwrote it. The safety panel now shows State Machine Safety violated, with the time and the servers; its time button goes back to that moment.",
    ),
    (
        "learn.6.try",
        "The properties hold because of the rules; break one and the checker notices.",
    ),
    (
        "learn.task.break_safety",
        "Break a rule: under \"Break a rule\" choose \"Apply entries before they commit\", then send the leader S{node} a write (select it and press Q) and play. The leader applies the entry before a majority has it, and the panel shows which property that breaks.",
    ),
    // 8. Clients.
    ("learn.8.title", "Clients: finding the leader, retrying exactly once, reading"),
    (
        "learn.8.redirect",
        "Two clients talk to three servers. Client 1 sent put x = 1 to S2, a follower. Only the leader serves clients, so S2 answered with a redirect naming the leader S1; the client sent the request there, and S1 appended, committed and applied it before answering (§8). The clients' lane of the space-time diagram shows the round trips.",
    ),
    (
        "learn.8.retry",
        "Client 1 appended a to x. S1 committed and applied it, but its answer was lost, so the client timed out and sent the same request again, with the same request id, and it reached S1 again (another server redirected it there). S1's state machine keeps each client's last request id and answer, so it answered the retry without applying it a second time: x = 1a on every server, not 1aa (§8).",
    ),
    (
        "learn.8.read",
        "Client 2 read x from S1. A leader must not answer a read from its state machine alone: it might have been replaced without knowing. S1 noted its commit index, exchanged a round of heartbeats with a majority to confirm it still leads, and answered once it had applied up to that index (ReadIndex, dissertation §6.4): x = 1a.",
    ),
    (
        "learn.8.stale",
        "At 0.9 s S1 was cut off from S2 and S3, and it still believes it leads term 1, with x = 1a in its state machine. S2 and S3 elected a leader of term 2, and client 1 wrote x = 2 there. When client 2 asked S1 for x, S1 could not confirm its leadership with a majority, so it never answered with its stale 1a; the client timed out, moved on and read x = 2 from the new leader.",
    ),
    (
        "learn.8.try",
        "A client whose leader crashes hears nothing; it cannot tell whether its write was applied, so it retries with the same request id.",
    ),
    (
        "learn.task.retry_after_crash",
        "Send the leader S{node} a write (select it and press Q), crash it at once (C) and press play: the client times out on S{node}, tries another server, is redirected to the new leader and gets its answer, and the write is applied once.",
    ),
    // 9. Log compaction.
    ("learn.9.title", "Log compaction and InstallSnapshot"),
    (
        "learn.9.down",
        "S3 crashed at 100 ms. Three clients keep writing; S1 and S2 are a majority of three, so their entries commit without S3.",
    ),
    (
        "learn.9.compacted",
        "S1 has applied 20 entries, so it took a snapshot: its state machine up to index {snapshot} is saved and those log entries are thrown away. Every server compacts on its own, without asking the leader.",
    ),
    (
        "learn.9.installed",
        "S3 came back at 1.5 s. The entries it lacks are no longer in the leader's log, so the leader sent its snapshot in InstallSnapshot; S3 replaced its log with it and now takes ordinary AppendEntries after it.",
    ),
    (
        "learn.9.try",
        "A snapshot is also how a new server or a far-behind one catches up.",
    ),
    (
        "learn.task.install_snapshot",
        "Crash a follower (C), send a write (Q on the leader S{node}) and play until it commits, compact the leader's log (S on the leader), then restart the follower (R) and play: it gets the snapshot.",
    ),
    // 7. Partitions.
    ("learn.7.title", "Partitions: a leader in the minority"),
    (
        "learn.7.before",
        "S1 leads term 1 and x = 1 is committed on all five servers. At 1 s the network will split S1 and S2 from S3, S4 and S5.",
    ),
    (
        "learn.7.minority",
        "The network is split. S1 still believes it leads: a client's x = minority reached it, and it sent the entry to S2. Two of five is not a majority, so the entry stays uncommitted and the client gets no answer.",
    ),
    (
        "learn.7.majority",
        "On the other side, an election timer ran out; S3, S4 and S5 elected a leader in a higher term and committed x = majority. Two leaders exist at once, but only one of them can commit.",
    ),
    (
        "learn.7.healed",
        "Healed. S1 saw the higher term and stepped down, and the new leader's log overwrote the uncommitted x = minority on S1 and S2. Nothing that was committed was lost.",
    ),
    (
        "learn.7.try",
        "Now, on a fresh five-server cluster where x = 1 is committed, cut the leader off yourself.",
    ),
    (
        "learn.task.write_in_minority",
        "Cut the leader S{node} off from the majority (select it and press I, or its menu: isolate) and send it a write (Q): it appends the entry but cannot commit it.",
    ),
    // 10. Membership.
    ("learn.10.title", "Membership: learners, joint consensus, removing servers"),
    (
        "learn.10.learner",
        "S1 leads a cluster of S1, S2 and S3, and S4 was just added as a learner. The leader sends a learner the log like any follower, but a learner does not vote and is not counted in a majority: commits still need two of S1, S2 and S3, so the cluster stays available while S4 catches up. S4's log now matches the leader's (dissertation §4.2.1).",
    ),
    (
        "learn.10.promoted",
        "Caught up, S4 became a voter: the configuration is S1 to S4, and a majority is three. Adding or removing one server at a time is safe because any majority of the old configuration and any majority of the new one share a server, so two leaders can never be elected in one term (dissertation §4.1).",
    ),
    (
        "learn.10.joint",
        "To change several servers at once Raft uses joint consensus (§6). Here S1, S2, S3 becomes S1, S2, S4 (S4 in, S3 out): the leader appended C_old,new to its log, and from now until C_new commits every election and every commit needs a majority of the old servers (S1, S2, S3) and, separately, a majority of the new ones (S1, S2, S4). A server uses the latest configuration in its log, committed or not.",
    ),
    (
        "learn.10.new",
        "C_old,new committed, so the leader appended C_new (S1, S2, S4), and it committed too. S3 is out: the page shuts a removed server down. Left running it would hear no heartbeats, time out and ask for votes with ever higher terms; servers that hear from a current leader ignore such requests (§6), so it cannot disrupt the cluster.",
    ),
    (
        "learn.10.try",
        "A leader can be removed too: it goes on leading until the configuration without it commits, then steps down (dissertation §4.2.2).",
    ),
    (
        "learn.task.remove_leader",
        "Remove the leader S{node} (select it and press -, or use its menu) and press play: once C_new without it commits it steps down, and the others elect a leader among themselves.",
    ),
    // 11. PreVote and CheckQuorum; Raft and ZAB.
    ("learn.11.title", "PreVote and CheckQuorum; Raft and ZooKeeper's ZAB"),
    (
        "learn.11.climb",
        "PreVote and CheckQuorum are off here, as in the paper's basic algorithm. S3 was cut off at 0.2 s. Hearing no heartbeats, it times out again and again, and each time starts an election in a new term that it cannot win: its term has climbed well past term {term}, in which S{node} still leads and, with S2, commits writes.",
    ),
    (
        "learn.11.disrupted",
        "Healed at 1.5 s. S3's vote request carried its high term; the leader saw it and stepped down, although nothing was wrong with it. S3's log is behind, so it could not win, and after an election S{node} leads, now in term {term}. One server coming back cost the whole cluster an election. The space-time diagram shows the burst of votes.",
    ),
    (
        "learn.11.prevote",
        "The same again with PreVote on (from 2.2 s): S3 was cut off from 2.3 s to 3.6 s. Before raising its term, a server with PreVote first asks whether it would get votes (a pre-candidate, dashed); nobody answered S3, so its term stayed at {term}. After the heal it simply follows S{node} again and has caught up, with no election (dissertation §9.6).",
    ),
    (
        "learn.11.check_quorum",
        "Another cluster, with CheckQuorum (and PreVote) on. The leader S1 was cut off at 0.4 s. A leader with CheckQuorum notes which servers it has heard from; after an election timeout without a majority it stepped down by itself (dissertation §6.2), so it no longer accepts writes it could never commit nor answers reads. Without CheckQuorum, S1 would still think it leads.",
    ),
    (
        "learn.11.zab",
        "S2 and S3 elected S{node} in term {term}. Raft and ZooKeeper's ZAB compared: in Raft the followers notice a failed leader by missing heartbeats, and with CheckQuorum the leader notices too; ZooKeeper checks from both sides from the start (its leader counts its followers' heartbeat replies). On a split vote Raft starts over in a new term; ZAB keeps voting within one epoch, each server switching to the candidate with the most up-to-date log, so one epoch usually settles it (in theory it can livelock).",
    ),
    (
        "learn.11.try",
        "The network has healed and S1 follows the new leader. With CheckQuorum on, a leader notices on its own that it has lost the majority.",
    ),
    (
        "learn.task.leader_steps_down",
        "Cut the leader S{node} off from the others (select it and press I) and press play: within an election timeout it steps down by itself, and the other two elect a new leader in a later term.",
    ),
    // 12. TiKV's optimizations.
    ("learn.12.title", "A slow disk, and TiKV's four optimizations"),
    (
        "learn.12.disk",
        "From here on every write to a disk takes 5 ms, and so does every apply; sixteen clients write as fast as they are answered. A follower answers an AppendEntries only once the entries are on its disk (Figure 2), and the leader counts itself towards a majority only once its own write is done: a commit waits for the leader's write, then a round trip with a follower's write inside it. The Throughput panel charts the leader's committed entries per second (bars) and its commit latency (line).",
    ),
    (
        "learn.12.batching",
        "From 2 s batching is off: each AppendEntries carries one entry, and at most 8 are in flight per follower. With sixteen clients writing, entries queue at the leader for a free slot: the latency line has climbed and fewer entries commit per second. With batching on, one message carries everything waiting (up to 64 entries).",
    ),
    (
        "learn.12.pipelining",
        "From 4 s pipelining is off too: the leader sends the next AppendEntries to a follower only when the last one is answered, so each follower gets one entry per round trip and disk write. The latency soars and the clients wait. Pipelining keeps several AppendEntries in flight, trusting the network to deliver them in order and falling back to probing if one is lost (\u{a7}10.2.2).",
    ),
    (
        "learn.12.parallel",
        "At 6 s batching and pipelining came back on, and the leader now appends in parallel: it sends AppendEntries while its own write is under way, instead of after it. It still counts itself only once its write is done, but two followers that have written are a majority without it (\u{a7}10.2.1), so the latency is now lower than it was at first.",
    ),
    (
        "learn.12.async",
        "At 8 s apply became asynchronous: committed entries are applied by another worker, off the log's disk, so a log write no longer waits behind an apply, and the leader takes new requests meanwhile. The client's answer still waits for its entry to be applied. The latency has fallen again: TiKV's four optimizations together.",
    ),
    (
        "learn.12.try",
        "The disk still takes 5 ms per write. Each optimization hides part of that cost; take them away and you pay it again.",
    ),
    (
        "learn.task.undo_optimizations",
        "In the Throughput panel, switch optimizations off (batching, pipelining, parallel append, async apply) and press play, until the commit latency over the last second is more than twice what it is now, with the disk no slower.",
    ),
];
