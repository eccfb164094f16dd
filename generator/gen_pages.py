"""mkdocs-gen-files entry script: the survey plugin writes its pages through gen-files."""

import mkdocs_gen_files

config = mkdocs_gen_files.config
config.plugins["survey"].emit(config, mkdocs_gen_files.open, mkdocs_gen_files.set_edit_path)
