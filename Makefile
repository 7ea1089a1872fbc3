# Convenience targets for those who have make; each calls ./dev.sh, which works without it.
.PHONY: help run test sanitize format lint
help:
	@./dev.sh help
run:
	@./dev.sh run
test:
	@./dev.sh test
sanitize:
	@./dev.sh sanitize
format:
	@./dev.sh format
lint:
	@./dev.sh lint
