fn main() {
    raft_web::start();
}
