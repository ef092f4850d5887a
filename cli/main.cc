// Entry point only: dispatches to a subcommand (placeholder until the CLI lands).
int main() { return 0; }
