#pragma once
// Public header of the core module: clock, ids, errors, randomness, logging.
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/id.hpp"
#include "core/log.hpp"
#include "core/random.hpp"
