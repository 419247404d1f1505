# SPDX-License-Identifier: Apache-2.0
# The tap module's sources, added to ligd_objs by src/CMakeLists.txt.
file(GLOB LIG_MODULE_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.c)
target_sources(ligd_objs PRIVATE ${LIG_MODULE_SOURCES})
# Host-side Linux configuration through netlink (lib/netlink, libmnl).
target_link_libraries(ligd_objs PUBLIC lignl)
