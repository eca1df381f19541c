from newsevents.cli import cli

if __name__ == "__main__":  # not when a worker process (multiprocessing spawn) imports it
    cli(prog_name="newsevents")
