"""The shell: everything that touches the runner, the workspace and GitHub."""
