// libFuzzer target: a .env file, then every value it sets through the configuration schema.
#include "config/ConfigLoader.h"
#include "config/DotEnvFile.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const herald::DotEnvFile file = herald::DotEnvFile::parse(text, QStringLiteral("fuzz.env"));
    if (!file.error.isEmpty())
        return 0;
    // The values reach the loader the way environment variables do; a bad one must be an error, never a crash.
    const herald::ConfigLoadResult result =
        herald::ConfigLoader::load({QStringLiteral("herald-server")}, file.values,
                                   QStringLiteral("/nonexistent-herald-fuzz"), QStringLiteral("0"));
    if (result.outcome == herald::ConfigLoadResult::Outcome::Error && result.output.isEmpty())
        __builtin_trap();
    return 0;
}
