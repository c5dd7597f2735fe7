#pragma once
// The RODAS4 coefficients of Hairer & Wanner, as tabulated in Boost.Odeint's
// default_rosenbrock_coefficients: shared by the scalar stepper (rodas4.cpp) and the lanes
// (lane_transient.cpp), which must compute the same numbers.

namespace kinmap::ode::detail {

struct Rodas4Tableau {
    static constexpr double gamma = 0.25;
    static constexpr double c2 = 0.386, c3 = 0.21, c4 = 0.63;
    static constexpr double c21 = -0.5668800000000000e+01;
    static constexpr double a21 = 0.1544000000000000e+01;
    static constexpr double c31 = -0.2430093356833875e+01, c32 = -0.2063599157091915e+00;
    static constexpr double a31 = 0.9466785280815826e+00, a32 = 0.2557011698983284e+00;
    static constexpr double c41 = -0.1073529058151375e+00, c42 = -0.9594562251023355e+01,
                            c43 = -0.2047028614809616e+02;
    static constexpr double a41 = 0.3314825187068521e+01, a42 = 0.2896124015972201e+01,
                            a43 = 0.9986419139977817e+00;
    static constexpr double c51 = 0.7496443313967647e+01, c52 = -0.1024680431464352e+02,
                            c53 = -0.3399990352819905e+02, c54 = 0.1170890893206160e+02;
    static constexpr double a51 = 0.1221224509226641e+01, a52 = 0.6019134481288629e+01,
                            a53 = 0.1253708332932087e+02, a54 = -0.6878860361058950e+00;
    static constexpr double c61 = 0.8083246795921522e+01, c62 = -0.7981132988064893e+01,
                            c63 = -0.3152159432874371e+02, c64 = 0.1631930543123136e+02,
                            c65 = -0.6058818238834054e+01;
};

}  // namespace kinmap::ode::detail
