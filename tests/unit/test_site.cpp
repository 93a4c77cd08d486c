#define BOOST_TEST_MODULE site
#include <boost/test/unit_test.hpp>

#include "site/problem.hpp"

BOOST_AUTO_TEST_CASE(model_names) { BOOST_TEST(nightout::site::model_key(nightout::site::parse_model("p-median")) == "pmedian"); }
