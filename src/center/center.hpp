#pragma once
// Public header of the center module: the domain model and its services.
#include "center/audit.hpp"
#include "center/calls.hpp"
#include "center/credentials.hpp"
#include "center/directory.hpp"
#include "center/events.hpp"
#include "center/features.hpp"
#include "center/model.hpp"
#include "center/projects.hpp"
#include "center/secret_box.hpp"
#include "center/trunks.hpp"
