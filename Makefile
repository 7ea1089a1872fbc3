# Convenience targets for those who have make; each calls ./dev.sh, which works without it.
.PHONY: help run console screenshot test sanitize format lint
help:
	@./dev.sh help
run:
	@./dev.sh run
console:
	@./dev.sh console
screenshot:
	@./dev.sh screenshot
test:
	@./dev.sh test
sanitize:
	@./dev.sh sanitize
format:
	@./dev.sh format
lint:
	@./dev.sh lint
