# Convenience targets for those who have make; each calls ./dev.sh, which works without it (README, "Two
# commands" and "Operations").
.PHONY: help run dev console screenshot test sanitize fuzz soak bench bench-console format lint install package js-pack \
        ops-check \
        docker-build docker-dev docker-prod
help:
	@./dev.sh help
run:
	@./dev.sh run
dev:
	@./dev.sh dev
console:
	@./dev.sh console
screenshot:
	@./dev.sh screenshot
test:
	@./dev.sh test
sanitize:
	@./dev.sh sanitize
fuzz:
	@./dev.sh fuzz
soak:
	@./dev.sh soak
bench:
	@./dev.sh bench
bench-console:
	@./dev.sh bench-console
format:
	@./dev.sh format
js-pack:
	@./dev.sh js-pack
lint:
	@./dev.sh lint
# PREFIX=/opt/herald make install; default /usr/local.
install:
	@./dev.sh install $(PREFIX)
package:
	@./dev.sh package
ops-check:
	@./dev.sh ops-check
docker-build:
	@./dev.sh docker-build
docker-dev:
	@./dev.sh docker-dev
docker-prod:
	@./dev.sh docker-prod
