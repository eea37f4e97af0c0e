#include "app/app.hpp"

#include <iostream>

int main(int argc, char** argv) { return suflyor::app::run(argc, argv, std::cout, std::cerr); }
