// Test support: starts a real, private PostgreSQL server for the tests that
// need one (initdb in a temp dir, a free loopback port, trust auth), and stops
// and removes it in the destructor. Nothing assumes a server is running.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace zgtflow::testing {

// One server per object. Usage:
//   PostgresServer server;                 // starts it; check ok() / error()
//   std::string url = server.CreateDatabase("t1");
//   … OpenPostgresStore(url) …
// The binaries come from /usr/lib/postgresql/<newest>/bin. PostgreSQL refuses
// to run as root, so when the tests run as root (CI), initdb and pg_ctl run as
// the `postgres` system user through `runuser` and the temp dir is chowned to
// it. The initialized cluster is cached once per machine under /tmp and copied
// for every server: initdb takes seconds, a copy a fraction of one, and ctest
// runs every test case in its own process.
class PostgresServer {
 public:
  PostgresServer() { error_ = Launch(); }
  // durable = true: PostgreSQL's default durability (fsync, synchronous_commit
  // and full_page_writes on), for benchmarks (bench/durable_bench.cc).
  explicit PostgresServer(bool durable) : durable_(durable) { error_ = Launch(); }

  ~PostgresServer() {
    if (started_) RunAsServerUser(PgCtl() + " -D " + Quote(data_dir_) + " -m immediate -w stop");
    std::error_code ignored;
    if (!temp_dir_.empty()) std::filesystem::remove_all(temp_dir_, ignored);
  }

  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  bool ok() const { return error_.empty(); }
  // Why the server could not start, with the tail of the commands' output.
  const std::string& error() const { return error_; }
  int port() const { return port_; }

  // The libpq URL of database `db` on this server.
  std::string Url(const std::string& db) const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + db +
           "?connect_timeout=5";
  }

  // Creates database `db` (dropping an older one of that name) and returns its
  // URL, or "" when psql failed.
  std::string CreateDatabase(const std::string& db) {
    if (!Psql("postgres", "DROP DATABASE IF EXISTS \"" + db + "\"")) return "";
    // FILE_COPY: with fsync off, copying the template's files beats PG 15's
    // default of writing them through the WAL.
    if (!Psql("postgres", "CREATE DATABASE \"" + db + "\" STRATEGY FILE_COPY")) return "";
    return Url(db);
  }

  // Runs `sql` through psql on database `db`; the rows as unaligned text
  // ("a|b" per line, no header), or nullopt when psql failed.
  std::optional<std::string> Psql(const std::string& db, const std::string& sql) {
    std::string out_file = temp_dir_ + "/psql.out";
    std::string command = "PGCONNECT_TIMEOUT=5 " + bin_dir_ + "/psql -X -q -A -t -v ON_ERROR_STOP=1" +
                          " -h 127.0.0.1 -p " + std::to_string(port_) + " -U postgres -d " +
                          Quote(db) + " -c " + Quote(sql) + " >" + Quote(out_file) + " 2>>" +
                          Quote(temp_dir_ + "/commands.log");
    int rc = std::system(command.c_str());
    std::string out = ReadFile(out_file);
    if (rc != 0) return std::nullopt;
    return out;
  }

  // pg_ctl stop / start / restart, each waiting (bounded) until done; the data
  // and the port stay. Return false on failure.
  bool Stop() {
    started_ = !RunAsServerUser(PgCtl() + " -D " + Quote(data_dir_) + " -m fast -w -t 30 stop");
    return !started_;
  }
  bool Start() {
    started_ = RunAsServerUser(PgCtl() + " -D " + Quote(data_dir_) + " -l " +
                               Quote(temp_dir_ + "/server.log") + " -w -t 30 -o " +
                               Quote(ServerOptions()) + " start");
    return started_ && WaitReady();
  }
  bool Restart() {
    started_ = RunAsServerUser(PgCtl() + " -D " + Quote(data_dir_) + " -l " +
                               Quote(temp_dir_ + "/server.log") + " -m fast -w -t 30 -o " +
                               Quote(ServerOptions()) + " restart");
    return started_ && WaitReady();
  }

 private:
  static std::string Quote(const std::string& text) {
    std::string quoted = "'";
    for (char c : text) {
      if (c == '\'') {
        quoted += "'\\''";
      } else {
        quoted += c;
      }
    }
    return quoted + "'";
  }

  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  static bool IsRoot() { return getuid() == 0; }

  // The newest /usr/lib/postgresql/<major>/bin holding initdb and pg_ctl.
  static std::string FindBinDir() {
    std::vector<std::pair<int, std::string>> found;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
      std::filesystem::path bin = entry.path() / "bin";
      if (std::filesystem::exists(bin / "initdb") && std::filesystem::exists(bin / "pg_ctl")) {
        found.emplace_back(std::atoi(entry.path().filename().c_str()), bin.string());
      }
    }
    if (found.empty()) return "";
    std::sort(found.begin(), found.end());
    return found.back().second;
  }

  // A port nobody listens on right now (the kernel's pick for port 0).
  static int FreePort() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    int port = 0;
    socklen_t length = sizeof(address);
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      port = ntohs(address.sin_port);
    }
    close(fd);
    return port;
  }

  std::string PgCtl() const { return bin_dir_ + "/pg_ctl"; }

  // Durability is off unless durable_: a test server's data dies with it,
  // and speed matters.
  std::string ServerOptions() const {
    return "-p " + std::to_string(port_) + " -k " + temp_dir_ +
           " -c listen_addresses=127.0.0.1" +
           (durable_ ? std::string(" -c fsync=on -c synchronous_commit=on -c full_page_writes=on"
                                       " -c max_wal_size=1GB")
                     : std::string(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off")) +
           " -c max_connections=200";
  }

  // Runs a server binary from /tmp (the postgres user may not be able to read
  // the working directory), as `postgres` when we are root. Output goes to
  // commands.log in the temp dir.
  bool RunAsServerUser(const std::string& command) const {
    std::string prefix = IsRoot() ? "runuser -u postgres -- " : "";
    std::string log = temp_dir_.empty() ? "/dev/null" : Quote(temp_dir_ + "/commands.log");
    std::string line = "cd /tmp && " + prefix + command + " >>" + log + " 2>&1";
    return std::system(line.c_str()) == 0;
  }

  bool ChownToServerUser(const std::string& path) const {
    if (!IsRoot()) return true;
    return std::system(("chown -R postgres:postgres " + Quote(path)).c_str()) == 0;
  }

  // A cluster made once by initdb and copied for each server; built in a
  // private dir and renamed into place so concurrent test processes never see
  // half of one.
  std::string TemplateCluster() {
    std::string major = std::filesystem::path(bin_dir_).parent_path().filename().string();
    // Tests use 1 MB WAL segments (a smaller cluster to copy); a durable
    // server (benchmarks) keeps the default 16 MB, whose segment switches
    // do not add syncs under heavy writing.
    std::string name = "/tmp/zgtflow-pg-template-v2-" + major + (durable_ ? "-seg16" : "") +
                       "-uid" + std::to_string(getuid());
    if (std::filesystem::exists(name + "/PG_VERSION")) return name;
    std::string building = temp_dir_ + "/template";
    if (!RunAsServerUser(bin_dir_ + "/initdb -D " + Quote(building) +
                         " -A trust -U postgres -E UTF8 --locale=C --no-sync" +
                         (durable_ ? "" : " --wal-segsize=1"))) {
      return "";
    }
    std::error_code ec;
    std::filesystem::rename(building, name, ec);  // Loses harmlessly to another process.
    if (std::filesystem::exists(name + "/PG_VERSION")) return name;
    return "";
  }

  // Connects until the server answers, at most ~30 s.
  bool WaitReady() const {
    for (int attempt = 0; attempt < 300; ++attempt) {
      std::string command = bin_dir_ + "/pg_isready -q -h 127.0.0.1 -p " + std::to_string(port_) +
                            " -U postgres -d postgres -t 2";
      if (std::system(command.c_str()) == 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  std::string Failure(const std::string& what) const {
    std::string log = ReadFile(temp_dir_ + "/commands.log") + ReadFile(temp_dir_ + "/server.log");
    if (log.size() > 2000) log = log.substr(log.size() - 2000);
    return "PostgreSQL test server: " + what + "\n" + log;
  }

  std::string Launch() {
    bin_dir_ = FindBinDir();
    if (bin_dir_.empty()) return "PostgreSQL test server: no /usr/lib/postgresql/*/bin/initdb";
    char pattern[] = "/tmp/zgtflow-pg-XXXXXX";
    if (mkdtemp(pattern) == nullptr) return "PostgreSQL test server: mkdtemp failed";
    temp_dir_ = pattern;
    if (!ChownToServerUser(temp_dir_)) return Failure("cannot chown the temp dir to postgres");
    std::string cluster = TemplateCluster();
    if (cluster.empty()) return Failure("initdb failed");
    data_dir_ = temp_dir_ + "/data";
    std::error_code ec;
    std::filesystem::copy(cluster, data_dir_, std::filesystem::copy_options::recursive, ec);
    if (ec) return Failure("cannot copy the cluster: " + ec.message());
    std::filesystem::permissions(data_dir_, std::filesystem::perms::owner_all, ec);
    if (!ChownToServerUser(data_dir_)) return Failure("cannot chown the data dir to postgres");
    // Another process may take the port between FreePort and the server's
    // bind: try a few.
    for (int attempt = 0; attempt < 3; ++attempt) {
      port_ = FreePort();
      if (port_ != 0 && Start()) return "";
      Stop();
    }
    return Failure("the server did not start");
  }

  std::string bin_dir_;
  std::string temp_dir_;
  std::string data_dir_;
  int port_ = 0;
  bool durable_ = false;
  bool started_ = false;
  std::string error_;
};

}  // namespace zgtflow::testing
